-- Inferred state on the unmodified Medusa store spec: alternately adds a line item to a cart
-- and reads that cart back, round-robin over the carts made before the run (CARTS, comma
-- separated), so each cart grows by a few items only, as a shopper's would.
local carts = {}
for id in string.gmatch(os.getenv("CARTS") or "", "[^,]+") do
  carts[#carts + 1] = id
end
local n = 0
local body = '{"variant_id":"variant_1","quantity":1}'

request = function()
  n = n + 1
  local cart = carts[(math.floor(n / 2) % #carts) + 1]
  if n % 2 == 0 then
    return wrk.format("POST", "/store/carts/" .. cart .. "/line-items",
      {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/store/carts/" .. cart)
end
