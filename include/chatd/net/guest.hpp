#pragma once

#include <chatd/store/repository.hpp>

#include <string>
#include <utility>

namespace chatd::net {

// The guest a token belongs to, or a new guest with a generated profile and a fresh token when the
// token is empty, malformed or unknown. Runs on a database worker. Returns {user, token to keep}.
std::pair<store::user, std::string> find_or_create_guest(store::repository& repo, std::string const& token);

}  // namespace chatd::net
