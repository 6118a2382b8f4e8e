-- wrk script: signed Bitbucket Cloud repo:push deliveries, each with its own delivery id (X-Request-UUID).
-- run.sh prepares the body file and its signature; BENCH_DELAY_MS > 0 paces each connection (for the
-- "half of peak" latency run: wrk itself has no fixed-rate mode). The pause after each answer is drawn from an
-- exponential distribution with that mean, so the connections behave like independent senders: with a fixed pause
-- they move in lock-step, and at 256 connections they fire in waves of 256 that the generator itself shapes.
-- BENCH_FIXED_DELAY=1 keeps the fixed pause.
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Event-Key"] = "repo:push"
wrk.headers["X-Hub-Signature"] = os.getenv("BENCH_SIGNATURE")
wrk.headers["User-Agent"] = "Bitbucket-Webhooks/2.0"
wrk.headers["X-Attempt-Number"] = "1"

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  fixed = os.getenv("BENCH_FIXED_DELAY") == "1"
  run = tostring(os.time())
  math.randomseed(os.time() * 100 + thread_id)
end

function request()
  counter = counter + 1
  wrk.headers["X-Request-UUID"] = string.format("bench-%s-%d-%d", run, thread_id, counter)
  return wrk.format()
end

function delay()
  if pause == 0 or fixed then
    return pause
  end
  return math.floor(-pause * math.log(1 - math.random()) + 0.5)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rate=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
