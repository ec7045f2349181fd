-- wrk script of bench/run.py.
--
-- When BENCH_PATHS names a file of request paths (one per line), every connection cycles through
-- them, each thread starting at a different place, so a page type is measured over many URLs rather
-- than one hot one. Without it, wrk requests its URL as usual (and, with no request() defined, keeps
-- its cheaper static request for the baseline).
--
-- At the end it prints one line that bench/run.py parses, with the 95th percentile that wrk's own
-- --latency table leaves out. Times are in microseconds.

local paths_file = os.getenv("BENCH_PATHS")
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

if paths_file and paths_file ~= "" then
   local paths = {}
   for line in io.lines(paths_file) do
      if line ~= "" then
         table.insert(paths, line)
      end
   end
   assert(#paths > 0, "no request paths in " .. paths_file)
   local next_index = 1
   -- BENCH_STRIDE (the number of threads) for a walk where no URL may be asked for twice: thread t takes
   -- paths t, t + stride, t + 2 × stride…
   local stride = tonumber(os.getenv("BENCH_STRIDE") or "")

   function init(args)
      -- thread_number is set by setup() before the thread starts
      if stride then
         next_index = thread_number or 1
      else
         next_index = ((thread_number or 1) - 1) * 37 % #paths + 1
      end
   end

   function request()
      local path = paths[next_index]
      next_index = (next_index - 1 + (stride or 1)) % #paths + 1
      return wrk.format(nil, path)
   end
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d "
         .. "non_2xx_3xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, errors.status, errors.connect, errors.read, errors.write,
      errors.timeout))
end
