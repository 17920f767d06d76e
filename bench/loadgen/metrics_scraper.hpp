#pragma once

#include "endpoint.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::bench {

// Reads chatd's /metrics (side port) once, blocking, from the controller thread: a few requests
// per run, so a plain synchronous Beast client is enough.
class metrics_scraper {
 public:
  // Every sample, summed over its labels, by bare metric name; nullopt when the port does not answer.
  static std::optional<std::map<std::string, double>> scrape(endpoint const& side_port);
  // The same, from Prometheus text already fetched (comments skipped, labels summed).
  static std::map<std::string, double> parse(std::string_view text);
};

}  // namespace chatd::bench
