#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chatd::store {

struct user {
  std::string id;  // "u_" + 24 hex characters, stable for the guest's lifetime
  std::string nickname;
  std::string avatar;  // "style:seed"
};

// A stored message as members see it. A tombstone has deleted == true and empty text/author.
struct message {
  std::string room;
  std::int64_t seq = 0;
  std::string id;  // decimal string of the row's bigint identity
  user author;
  std::string text;
  std::int64_t ts_ms = 0;
  bool deleted = false;
};

// A validated send waiting to be stored.
struct new_message {
  std::string room;
  std::string user_id;
  std::string client_id;
  std::string text;
};

// The outcome of storing one new_message: the stored row, and whether it was a resend of a
// client_id that was stored before (then nothing new was written and no one is notified again).
struct stored_message {
  message msg;
  std::string client_id;
  bool duplicate = false;
};

struct history_page {
  std::vector<message> messages;  // ascending seq
  bool has_more = false;
};

}  // namespace chatd::store
