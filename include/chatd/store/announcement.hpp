#pragma once

#include <chatd/store/types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// What the store tells every chatd process (itself included) through PostgreSQL NOTIFY when it
// stores a change. The database composes the payloads (migrations/0002_store_in_one_round_trip.sql
// defines the format), so a stored message is serialised by no chatd before it reaches one that has
// members to deliver it to.
namespace chatd::store::announcement {

constexpr std::string_view channel = "chatd_messages";

enum class kind {
  message,    // a new message, whole
  reference,  // a new message too large for NOTIFY: read it from the database
  deleted,    // a message was tombstoned
};

struct parsed {
  kind what;
  std::int64_t seq;
  std::string room;
  message msg;  // only for kind::message
};

// nullopt for anything that is not a well-formed payload.
std::optional<parsed> parse(std::string_view payload);

}  // namespace chatd::store::announcement
