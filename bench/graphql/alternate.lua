-- wrk script: alternately POST the GraphQL mutation in $MUTATION_FILE and the query in
-- $BODY_FILE, both with `Authorization: Bearer $TOKEN`: every query follows a change of state,
-- so none is answered from the answer cache.
local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end
local query = read(os.getenv("BODY_FILE"))
local mutation = read(os.getenv("MUTATION_FILE"))
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", nil, headers, n % 2 == 1 and mutation or query)
end
