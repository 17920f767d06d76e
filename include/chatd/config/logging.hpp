#pragma once

#include <chatd/config/config.hpp>

namespace chatd::config {

// Sets spdlog's level and format: human-readable text, or one JSON object per line
// ({"ts","level","thread","msg"}) for log collectors.
void setup_logging(settings const& s);

}  // namespace chatd::config
