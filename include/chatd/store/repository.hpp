#pragma once

#include <chatd/store/types.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace chatd::store {

// Blocking data access over one libpqxx connection, with prepared statements only.
// Not thread-safe: each database worker thread owns one repository. Every method throws
// (pqxx::broken_connection, pqxx::sql_error, ...) when the database fails; the caller decides.
class repository {
 public:
  explicit repository(std::string const& database_url);
  ~repository();
  repository(repository const&) = delete;
  repository& operator=(repository const&) = delete;

  // Applies the versioned migrations that are not yet applied (advisory-locked, so replicas that
  // start together do not race). Idempotent.
  void migrate();

  user create_guest(std::string_view token_hash, std::string_view nickname, std::string_view avatar);
  std::optional<user> find_guest(std::string_view token_hash);
  std::optional<user> find_user(std::string_view user_id);
  std::optional<user> update_profile(std::string_view user_id, std::string_view nickname, std::string_view avatar);

  // Stores a batch in one transaction and one round trip, and announces each new message (see
  // store::announcement). Per room, seqs continue contiguously from the room's highest, under a
  // lock that writers on other connections and processes queue on, so they never leave gaps. A
  // (room, user_id, client_id) seen before yields the original row with duplicate = true.
  // Results are in input order.
  std::vector<stored_message> insert_messages(std::span<new_message const> batch);

  // Ascending seq; tombstones included. latest: the newest `limit` messages.
  history_page latest(std::string_view room, int limit);
  history_page before(std::string_view room, std::int64_t before_seq, int limit);
  history_page after(std::string_view room, std::int64_t after_seq, int limit);
  std::int64_t last_seq(std::string_view room);

  // Tombstones a message and announces it; false when there is no such message or it is already
  // deleted.
  bool tombstone(std::string_view room, std::int64_t seq);

  // Sends what chatd itself announces to every replica (store::announcement::presence).
  void announce(std::string_view payload);

  void ping();

  // False once the connection broke; a broken repository stays broken (it never reconnects by
  // itself: the owner drops it and builds a new one, with backoff).
  bool connected() const noexcept;

 private:
  // Holds the libpqxx connection. (pqxx::connection cannot be forward-declared: in libpqxx 6 it is
  // an alias of a class template, so the header keeps libpqxx out entirely.)
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace chatd::store
