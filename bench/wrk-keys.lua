-- wrk request script for every balancer case: cycles through 1000 keys
-- (/home?id=1..1000) so hashing balancers spread load. Requests are formatted
-- once per thread in init(), so the per-request cost is a table lookup.
local requests = {}
local count = 1000
local index = 0

function init(args)
  for k = 1, count do
    requests[k] = wrk.format("GET", "/home?id=" .. k)
  end
end

function request()
  index = index % count + 1
  return requests[index]
end
