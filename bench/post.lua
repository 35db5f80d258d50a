-- wrk script: each request posts one figure of fixed-asset investment
-- (FAI), cycling through ten areas and twelve months of 2026 with a new
-- value every time, as clerks correcting their drafts do.  The session
-- cookie and CSRF token come from the environment (COOKIE, CSRF).
local areas = {"210702", "210703", "210711", "210726", "210727", "210781",
               "210782", "JZ-KFQ", "JZ-SSXQ", "JZ-GXQ"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("CSRF")
local n = 0

request = function()
  n = n + 1
  local body = string.format(
    '{"figures":[{"indicator":"FAI","area":"%s","period":"2026-%02d","value":%d.5}]}',
    areas[n % #areas + 1], n % 12 + 1, n)
  return wrk.format(nil, nil, nil, body)
end
