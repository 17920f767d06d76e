#pragma once

#include <chatd/store/db_pool.hpp>

#include <exception>
#include <string_view>

namespace chatd::store::detail {

// How the pool reacts to an exception from a repository call.
struct db_error {
  db_status status;      // what the caller is told
  bool connection_lost;  // drop the connection and reconnect before the next job
};

// By SQLSTATE: connection problems, shutdowns, exhausted resources, lock timeouts, cancellations,
// deadlocks and serialization failures are `unavailable` (the same request may work later); every
// other error (constraint, data, syntax, ...) is `failed`.
db_status status_of_sqlstate(std::string_view sqlstate);

// Whether the SQLSTATE says the session is gone (class 08, or the server shutting it down).
bool sqlstate_ends_session(std::string_view sqlstate);

// Classifies any exception a repository method or a job threw. libpqxx exceptions are sorted as
// above; anything else (std::invalid_argument for data a statement cannot carry, a bug in a job)
// is `failed`, with the connection kept.
db_error classify(std::exception const& e);

}  // namespace chatd::store::detail
