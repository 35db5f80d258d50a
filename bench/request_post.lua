-- wrk script: each request is a resident's new request (POST
-- /api/v1/requests, public), cycling through the services and the 100
-- counties of gen.py's province with a description of its own, as the
-- hotline's intake does at its peak.
local services = {"property", "heating", "traffic", "relocation",
                  "certificate", "cityscape", "roads", "water", "noise",
                  "labour"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0

request = function()
  n = n + 1
  local body = string.format(
    '{"service":"%s","description":"样例诉求 %d：小区门口路灯不亮，夜间出行不便",' ..
    '"address":"中山路%d号","area":"X%03d","community":"幸福社区",' ..
    '"contact":{"name":"样例","phone":"138-0000-%04d"},"channel":"web"}',
    services[n % #services + 1], n, n % 300 + 1, n % 100 + 1, n % 10000)
  return wrk.format(nil, nil, nil, body)
end
