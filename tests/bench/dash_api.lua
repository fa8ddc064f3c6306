-- dash_api.lua — wrk script for tests/bench/dash_bench.sh: each wrk thread
-- is one coordinator (its own session cookie from $COOKIES), and done()
-- prints the latency percentiles wrk's own summary leaves out (p95).
local cookies = {}
for line in io.lines(os.getenv("COOKIES")) do
	if #line > 0 then cookies[#cookies + 1] = line end
end
local n = 0

function setup(thread)
	n = n + 1
	thread:set("cookie", cookies[(n - 1) % #cookies + 1])
end

function init(args)
	wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("RESULT p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f rps=%.1f requests=%d errors=%d\n",
		latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
		summary.requests / (summary.duration / 1e6), summary.requests,
		e.connect + e.read + e.write + e.timeout + e.status))
end
