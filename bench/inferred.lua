-- Inferred state on the unmodified Medusa store spec: each connection makes a cart, then
-- alternately adds a line item and reads the cart; after 50 items it starts a new cart, so
-- a cart stays the size a shopper's would (the mock keeps every item it is given).
local cart = nil
local adds = 0
local n = 0
local json = "application/json"

request = function()
  if cart == nil or adds >= 50 then
    cart = nil
    adds = 0
    return wrk.format("POST", "/store/carts", {["Content-Type"] = json}, '{"region_id":"reg_1"}')
  end
  n = n + 1
  if n % 2 == 0 then
    adds = adds + 1
    return wrk.format("POST", "/store/carts/" .. cart .. "/line-items",
      {["Content-Type"] = json}, '{"variant_id":"variant_1","quantity":1}')
  end
  return wrk.format("GET", "/store/carts/" .. cart)
end

response = function(status, headers, body)
  if cart == nil and status == 200 then
    cart = string.match(body, '"id":"(cart_[0-9A-Z]+)"')
  end
end
