// chatd_loadgen: a WebSocket load generator that speaks chatd's wire protocol (docs/protocol.md)
// and prints one JSON line of results. See docs/benchmarks.md.
//
// Threading: the main thread is the controller (load_run); --threads worker threads each run their
// own io_context with their share of the clients. They share only atomics (run_context); each
// thread's counters are read after it has joined.
#include "load_run.hpp"
#include "options.hpp"
#include "report.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  auto parsed = chatd::bench::parse_options(argc, argv);
  if (!parsed.value) {
    return parsed.exit_code;
  }
  try {
    chatd::bench::load_run run(std::move(*parsed.value));
    std::cout << chatd::bench::report::to_json(run.execute()).dump() << std::endl;
    return 0;
  } catch (std::exception const& e) {
    std::cerr << "chatd_loadgen: " << e.what() << "\n";
    return 1;
  }
}
