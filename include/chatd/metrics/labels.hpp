#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chatd::metrics {

// Label name/value pairs of one series, e.g. {{"operation", "history"}}. Order does not matter for
// identity; the exposition keeps the order given at registration.
using labels = std::vector<std::pair<std::string, std::string>>;

}  // namespace chatd::metrics
