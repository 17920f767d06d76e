#include <chatd/store/announcement.hpp>
#include <chatd/store/repository.hpp>

#include "migrations.hpp"
#include "pg_array.hpp"
#include "user_id.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_set>

namespace chatd::store {

namespace {

// The largest page a history read returns, whatever the caller asks: join sends up to 500 messages
// at once (docs/protocol.md), and a bigger page would only hold a worker thread longer.
constexpr int max_page_size = 500;

// Any fixed 64-bit number works as long as every chatd uses the same one; this is "chatd" in ASCII.
constexpr std::int64_t migration_lock_key = 0x6368617464;

// Statement names. Each is prepared once per connection (libpqxx registers it with the server on
// first use).
constexpr char const* find_guest_sql = "chatd_find_guest";
constexpr char const* find_user_sql = "chatd_find_user";
constexpr char const* create_guest_sql = "chatd_create_guest";
constexpr char const* update_profile_sql = "chatd_update_profile";
constexpr char const* store_messages_sql = "chatd_store_messages";
constexpr char const* latest_sql = "chatd_latest";
constexpr char const* before_sql = "chatd_before";
constexpr char const* after_sql = "chatd_after";
constexpr char const* last_seq_sql = "chatd_last_seq";
constexpr char const* delete_message_sql = "chatd_delete_message";
constexpr char const* ping_sql = "chatd_ping";
constexpr char const* announce_sql = "chatd_announce";

// The columns every message read returns, in this order (see read_message).
#define CHATD_MESSAGE_COLUMNS \
  "m.room, m.seq, m.id, m.user_id, u.nickname, u.avatar, m.text, m.ts_ms, m.deleted_at is not null"

void prepare_statements(pqxx::connection& c) {
  c.prepare(find_guest_sql, "select id, nickname, avatar from users where token_hash = decode($1, 'hex')");
  c.prepare(find_user_sql, "select id, nickname, avatar from users where id = $1");
  c.prepare(create_guest_sql,
            "insert into users (id, token_hash, nickname, avatar) values ($1, decode($2, 'hex'), $3, $4) "
            "returning id, nickname, avatar");
  c.prepare(update_profile_sql,
            "update users set nickname = $2, avatar = $3, updated_at = now() where id = $1 "
            "returning id, nickname, avatar");

  // The functions come with the schema (src/store/migrations/, 0003 for the store's current
  // definition); each call is one round trip and commits by itself.
  c.prepare(store_messages_sql, "select * from chatd_store_messages($1, $2, $3, $4, $5)");

  auto const page = [](char const* where, char const* order) {
    return std::string("select " CHATD_MESSAGE_COLUMNS " from messages m join users u on u.id = m.user_id "
                       "where m.room = $1 ") +
           where + " order by m.seq " + order + " limit $2";
  };
  c.prepare(latest_sql, page("", "desc"));
  c.prepare(before_sql, page("and m.seq < $3", "desc"));
  c.prepare(after_sql, page("and m.seq > $3", "asc"));
  c.prepare(last_seq_sql, "select coalesce(max(seq), 0) from messages where room = $1");
  c.prepare(delete_message_sql, "select chatd_delete_message($1, $2, $3)");
  c.prepare(ping_sql, "select 1");
  c.prepare(announce_sql, "select pg_notify($1, $2)");
}

user read_user(pqxx::row const& r) {
  return user{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()};
}

std::optional<user> first_user(pqxx::result const& r) {
  if (r.empty()) {
    return std::nullopt;
  }
  return read_user(r[0]);
}

// Reads CHATD_MESSAGE_COLUMNS. A tombstone shows neither its text nor its author.
message read_message(pqxx::row const& r) {
  message m;
  m.room = r[0].as<std::string>();
  m.seq = r[1].as<std::int64_t>();
  m.id = r[2].as<std::string>();
  m.ts_ms = r[7].as<std::int64_t>();
  m.deleted = r[8].as<bool>();
  if (!m.deleted) {
    m.author = user{r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<std::string>()};
    m.text = r[6].as<std::string>();
  }
  return m;
}

// libpq passes parameters as C strings, so a NUL byte would silently cut a value short. PostgreSQL
// text cannot hold NUL anyway: refuse it instead of storing something else than was sent.
void require_no_nul(std::string_view value, char const* what) {
  if (value.find('\0') != std::string_view::npos) {
    throw std::invalid_argument(std::string(what) + " contains a NUL byte");
  }
}

void require_present(std::string_view value, char const* what) {
  if (value.empty()) {
    throw std::invalid_argument(std::string(what) + " is empty");
  }
  require_no_nul(value, what);
}

// The hash travels hex-encoded, so raw digest bytes (NULs included) and hex text both work.
void require_token_hash(std::string_view token_hash) {
  if (token_hash.empty()) {
    throw std::invalid_argument("token hash is empty");
  }
}

int clamp_limit(int limit) { return std::clamp(limit, 1, max_page_size); }

// Rows come newest first from `latest` and `before`; the page is served oldest first.
history_page make_page(pqxx::result const& r, int limit, bool newest_first) {
  history_page page;
  auto const n = std::min<std::size_t>(r.size(), static_cast<std::size_t>(limit));
  page.has_more = r.size() > n;
  page.messages.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    page.messages.push_back(read_message(r[static_cast<pqxx::result::size_type>(i)]));
  }
  if (newest_first) {
    std::reverse(page.messages.begin(), page.messages.end());
  }
  return page;
}

using message_key = std::tuple<std::string_view, std::string_view, std::string_view>;

message_key key_of(new_message const& m) { return {m.room, m.user_id, m.client_id}; }

}  // namespace

struct repository::impl {
  explicit impl(std::string const& url) : conn(url) {}
  pqxx::connection conn;
};

repository::repository(std::string const& database_url) : impl_(std::make_unique<impl>(database_url)) {
  // libpqxx 6 would silently reconnect a broken connection on the next transaction. The pool owns
  // reconnecting (with backoff and a health signal), so a broken repository must stay broken.
  impl_->conn.inhibit_reactivation(true);
  prepare_statements(impl_->conn);
}

repository::~repository() = default;

bool repository::connected() const noexcept { return impl_->conn.is_open(); }

void repository::migrate() {
  pqxx::work tx(impl_->conn, "migrate");
  // Transaction-scoped: released at commit or rollback, also if this process dies.
  tx.exec_params("select pg_advisory_xact_lock($1)", migration_lock_key);
  tx.exec(
      "create table if not exists schema_migrations ("
      "  version integer primary key,"
      "  name text not null,"
      "  applied_at timestamptz not null default now())");
  std::unordered_set<int> applied;
  for (auto const& row : tx.exec("select version from schema_migrations")) {
    applied.insert(row[0].as<int>());
  }
  for (auto const& m : detail::migrations()) {
    if (applied.contains(m.version)) {
      continue;
    }
    tx.exec(std::string(m.sql));
    tx.exec_params("insert into schema_migrations (version, name) values ($1, $2)", m.version,
                   std::string(m.name));
  }
  tx.commit();
}

user repository::create_guest(std::string_view token_hash, std::string_view nickname, std::string_view avatar) {
  require_token_hash(token_hash);
  require_no_nul(nickname, "nickname");
  require_no_nul(avatar, "avatar");
  pqxx::nontransaction tx(impl_->conn);
  auto const r = tx.exec_prepared1(create_guest_sql, detail::new_user_id(), detail::hex_encode(token_hash),
                                   std::string(nickname), std::string(avatar));
  return read_user(r);
}

std::optional<user> repository::find_guest(std::string_view token_hash) {
  require_token_hash(token_hash);
  pqxx::nontransaction tx(impl_->conn);
  return first_user(tx.exec_prepared(find_guest_sql, detail::hex_encode(token_hash)));
}

std::optional<user> repository::find_user(std::string_view user_id) {
  require_no_nul(user_id, "user id");
  pqxx::nontransaction tx(impl_->conn);
  return first_user(tx.exec_prepared(find_user_sql, std::string(user_id)));
}

std::optional<user> repository::update_profile(std::string_view user_id, std::string_view nickname,
                                               std::string_view avatar) {
  require_no_nul(user_id, "user id");
  require_no_nul(nickname, "nickname");
  require_no_nul(avatar, "avatar");
  pqxx::nontransaction tx(impl_->conn);
  return first_user(
      tx.exec_prepared(update_profile_sql, std::string(user_id), std::string(nickname), std::string(avatar)));
}

std::vector<stored_message> repository::insert_messages(std::span<new_message const> batch) {
  if (batch.empty()) {
    return {};
  }
  for (auto const& m : batch) {
    require_present(m.room, "room");
    require_present(m.user_id, "user id");
    require_present(m.client_id, "client id");
    require_no_nul(m.text, "message text");
  }

  // A resend inside the batch answers with the first occurrence; only first occurrences go to the
  // database, which takes each key at most once and answers with the key.
  std::map<message_key, std::size_t> first_index;
  std::vector<std::string_view> rooms, users, clients, texts;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (first_index.emplace(key_of(batch[i]), i).second) {
      rooms.push_back(batch[i].room);
      users.push_back(batch[i].user_id);
      clients.push_back(batch[i].client_id);
      texts.push_back(batch[i].text);
    }
  }

  pqxx::nontransaction tx(impl_->conn, "insert_messages");
  auto const rows = tx.exec_prepared(store_messages_sql, detail::pg_array_literal(rooms), detail::pg_array_literal(users),
                                     detail::pg_array_literal(clients), detail::pg_array_literal(texts),
                                     std::string(announcement::channel));
  if (rows.size() != rooms.size()) {
    throw std::logic_error("insert_messages: the database answered for a different number of messages than sent");
  }
  std::vector<stored_message> out(batch.size());
  for (auto const& row : rows) {
    auto const it = first_index.find({row[0].c_str(), row[3].c_str(), row[4].c_str()});
    if (it == first_index.end()) {
      throw std::logic_error("insert_messages: the database answered for a message that was not sent");
    }
    auto& s = out[it->second];
    s.msg.room = row[0].as<std::string>();
    s.msg.seq = row[1].as<std::int64_t>();
    s.msg.id = row[2].as<std::string>();
    s.msg.ts_ms = row[8].as<std::int64_t>();
    s.msg.deleted = row[9].as<bool>();
    if (!s.msg.deleted) {
      s.msg.author = user{row[3].as<std::string>(), row[5].as<std::string>(), row[6].as<std::string>()};
      s.msg.text = row[7].as<std::string>();
    }
    s.client_id = row[4].as<std::string>();
    s.duplicate = row[10].as<bool>();
  }

  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto const first = first_index.at(key_of(batch[i]));
    if (first != i) {
      out[i] = out[first];
      out[i].duplicate = true;
    }
  }
  return out;
}

history_page repository::latest(std::string_view room, int limit) {
  require_no_nul(room, "room");
  limit = clamp_limit(limit);
  pqxx::nontransaction tx(impl_->conn);
  return make_page(tx.exec_prepared(latest_sql, std::string(room), limit + 1), limit, true);
}

history_page repository::before(std::string_view room, std::int64_t before_seq, int limit) {
  require_no_nul(room, "room");
  limit = clamp_limit(limit);
  pqxx::nontransaction tx(impl_->conn);
  return make_page(tx.exec_prepared(before_sql, std::string(room), limit + 1, before_seq), limit, true);
}

history_page repository::after(std::string_view room, std::int64_t after_seq, int limit) {
  require_no_nul(room, "room");
  limit = clamp_limit(limit);
  pqxx::nontransaction tx(impl_->conn);
  return make_page(tx.exec_prepared(after_sql, std::string(room), limit + 1, after_seq), limit, false);
}

std::int64_t repository::last_seq(std::string_view room) {
  require_no_nul(room, "room");
  pqxx::nontransaction tx(impl_->conn);
  return tx.exec_prepared1(last_seq_sql, std::string(room))[0].as<std::int64_t>();
}

bool repository::tombstone(std::string_view room, std::int64_t seq) {
  require_no_nul(room, "room");
  pqxx::nontransaction tx(impl_->conn);
  return tx.exec_prepared1(delete_message_sql, std::string(room), seq, std::string(announcement::channel))[0].as<bool>();
}

void repository::announce(std::string_view payload) {
  require_no_nul(payload, "announcement");
  pqxx::nontransaction tx(impl_->conn);
  tx.exec_prepared(announce_sql, std::string(announcement::channel), std::string(payload));
}

void repository::ping() {
  pqxx::nontransaction tx(impl_->conn);
  tx.exec_prepared1(ping_sql);
}

}  // namespace chatd::store
