#pragma once

#include <chatd/store/types.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// What every chatd process tells the others (and itself) through PostgreSQL NOTIFY. The database
// composes the payloads of stored changes (migrations/0002_store_in_one_round_trip.sql defines the
// format), so a stored message is serialised by no chatd before it reaches one that has members to
// deliver it to. chatd composes the one of presence:
//   p\n<replica>\n<room>\t<members>\n...   a replica's member counts, for some or all of its rooms
// Room ids hold no white space or control characters, so tabs and newlines are unambiguous.
namespace chatd::store::announcement {

constexpr std::string_view channel = "chatd_messages";

enum class kind {
  message,    // a new message, whole
  reference,  // a new message too large for NOTIFY: read it from the database
  deleted,    // a message was tombstoned
  presence,   // a replica's member counts
};

struct parsed {
  kind what;
  std::int64_t seq = 0;  // not for kind::presence
  std::string room;      // not for kind::presence
  message msg;           // only for kind::message
  std::string replica;   // only for kind::presence
  std::vector<std::pair<std::string, std::size_t>> members;  // only for kind::presence
};

// nullopt for anything that is not a well-formed payload.
std::optional<parsed> parse(std::string_view payload);

// A replica's member counts, in as many payloads as NOTIFY's size limit needs.
std::vector<std::string> presence(std::string_view replica, std::span<std::pair<std::string, std::size_t> const> members);

}  // namespace chatd::store::announcement
