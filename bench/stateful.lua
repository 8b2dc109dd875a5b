-- Alternates adding an item to one cart and reading that cart (X-Vendo-Order-Token).
local token = os.getenv("ORDER_TOKEN")
local body = '{"variant_id":"1","quantity":1}'
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("POST", "/api/v2/storefront/cart/add_item",
      {["Content-Type"] = "application/json", ["X-Vendo-Order-Token"] = token}, body)
  end
  return wrk.format("GET", "/api/v2/storefront/cart", {["X-Vendo-Order-Token"] = token})
end
