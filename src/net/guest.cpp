#include <chatd/chat/identity.hpp>
#include <chatd/net/guest.hpp>

namespace chatd::net {

std::pair<store::user, std::string> find_or_create_guest(store::repository& repo, std::string const& token) {
  namespace identity = chat::identity;
  if (identity::plausible_token(token)) {
    if (auto found = repo.find_guest(identity::token_hash(token))) {
      return {std::move(*found), token};
    }
  }
  auto fresh = identity::new_token();
  auto user = repo.create_guest(identity::token_hash(fresh), identity::random_nickname(), identity::random_avatar());
  return {std::move(user), std::move(fresh)};
}

}  // namespace chatd::net
