#include <chatd/store/repository.hpp>

#include "migrations.hpp"
#include "pg_array.hpp"
#include "user_id.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
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
constexpr char const* ensure_rooms_sql = "chatd_ensure_rooms";
constexpr char const* lock_rooms_sql = "chatd_lock_rooms";
constexpr char const* find_sent_sql = "chatd_find_sent";
constexpr char const* write_messages_sql = "chatd_write_messages";
constexpr char const* latest_sql = "chatd_latest";
constexpr char const* before_sql = "chatd_before";
constexpr char const* after_sql = "chatd_after";
constexpr char const* last_seq_sql = "chatd_last_seq";
constexpr char const* tombstone_sql = "chatd_tombstone";
constexpr char const* notify_sql = "chatd_notify";
constexpr char const* ping_sql = "chatd_ping";

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

  // Rooms are created and then locked in one fixed order (byte order, whatever the database's
  // collation), so two writers with overlapping rooms queue behind each other instead of deadlocking.
  c.prepare(ensure_rooms_sql,
            "insert into rooms (id) select r from unnest($1::text[]) as r order by r collate \"C\" "
            "on conflict do nothing");
  c.prepare(lock_rooms_sql,
            "select id, last_seq from rooms where id = any($1::text[]) order by id collate \"C\" for update");
  c.prepare(find_sent_sql,
            "select " CHATD_MESSAGE_COLUMNS ", m.client_id "
            "from unnest($1::text[], $2::text[], $3::text[]) as k (room, user_id, client_id) "
            "join messages m on m.room = k.room and m.user_id = k.user_id and m.client_id = k.client_id "
            "join users u on u.id = m.user_id");
  // One statement advances the counters and inserts the rows. ts is read after the room locks are
  // held, so within a room it grows with seq.
  c.prepare(write_messages_sql,
            "with advanced as ("
            "  update rooms set last_seq = k.last_seq "
            "  from unnest($1::text[], $2::bigint[]) as k (id, last_seq) where rooms.id = k.id"
            "), clock as ("
            "  select (extract(epoch from clock_timestamp()) * 1000)::bigint as ts_ms"
            "), inserted as ("
            "  insert into messages (room, seq, user_id, client_id, text, ts_ms) "
            "  select k.room, k.seq, k.user_id, k.client_id, k.text, clock.ts_ms "
            "  from unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) "
            "    as k (room, seq, user_id, client_id, text) cross join clock "
            "  returning id, room, seq, user_id, ts_ms"
            ") "
            "select i.room, i.seq, i.id, i.ts_ms, u.nickname, u.avatar "
            "from inserted i join users u on u.id = i.user_id");

  auto const page = [](char const* where, char const* order) {
    return std::string("select " CHATD_MESSAGE_COLUMNS " from messages m join users u on u.id = m.user_id "
                       "where m.room = $1 ") +
           where + " order by m.seq " + order + " limit $2";
  };
  c.prepare(latest_sql, page("", "desc"));
  c.prepare(before_sql, page("and m.seq < $3", "desc"));
  c.prepare(after_sql, page("and m.seq > $3", "asc"));
  c.prepare(last_seq_sql, "select last_seq from rooms where id = $1");
  c.prepare(tombstone_sql,
            "update messages set deleted_at = now(), text = '' "
            "where room = $1 and seq = $2 and deleted_at is null");
  c.prepare(ping_sql, "select 1");
  c.prepare(notify_sql, "select pg_notify($1, p) from unnest($2::text[]) as p");
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
  announcer announce;
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

  // A resend inside the batch answers with the first occurrence; only first occurrences are looked
  // up and written.
  std::map<message_key, std::size_t> first_index;
  std::vector<std::size_t> firsts;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (first_index.emplace(key_of(batch[i]), i).second) {
      firsts.push_back(i);
    }
  }
  std::vector<std::string> rooms;
  for (auto const& m : batch) {
    rooms.push_back(m.room);
  }
  std::sort(rooms.begin(), rooms.end());
  rooms.erase(std::unique(rooms.begin(), rooms.end()), rooms.end());
  auto const rooms_param = detail::pg_array_literal(rooms);

  pqxx::work tx(impl_->conn, "insert_messages");
  tx.exec_prepared0(ensure_rooms_sql, rooms_param);
  std::unordered_map<std::string, std::int64_t> last_seq;
  for (auto const& row : tx.exec_prepared(lock_rooms_sql, rooms_param)) {
    last_seq[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  }
  if (last_seq.size() != rooms.size()) {
    throw std::logic_error("insert_messages: a room row vanished while locked");
  }

  // Looked up only now, with the rooms locked: a writer on another connection that stored the same
  // client_id has committed by the time we hold the lock, so this read sees its row.
  std::vector<std::string> key_rooms, key_users, key_clients;
  for (auto i : firsts) {
    key_rooms.push_back(batch[i].room);
    key_users.push_back(batch[i].user_id);
    key_clients.push_back(batch[i].client_id);
  }
  std::map<std::tuple<std::string, std::string, std::string>, stored_message> existing;
  for (auto const& row : tx.exec_prepared(find_sent_sql, detail::pg_array_literal(key_rooms),
                                          detail::pg_array_literal(key_users),
                                          detail::pg_array_literal(key_clients))) {
    stored_message s{read_message(row), row[9].as<std::string>(), true};
    auto key = std::make_tuple(s.msg.room, row[3].as<std::string>(), s.client_id);
    existing.emplace(std::move(key), std::move(s));
  }

  std::vector<stored_message> out(batch.size());
  std::vector<std::string> new_rooms, new_users, new_clients, new_texts;
  std::vector<std::int64_t> new_seqs;
  std::map<std::pair<std::string_view, std::int64_t>, std::size_t> index_of_seq;
  for (auto i : firsts) {
    auto const& m = batch[i];
    if (auto it = existing.find(std::make_tuple(m.room, m.user_id, m.client_id)); it != existing.end()) {
      out[i] = it->second;
      continue;
    }
    auto const seq = ++last_seq[m.room];
    index_of_seq.emplace(std::make_pair(std::string_view(m.room), seq), i);
    new_rooms.push_back(m.room);
    new_seqs.push_back(seq);
    new_users.push_back(m.user_id);
    new_clients.push_back(m.client_id);
    new_texts.push_back(m.text);
  }

  if (!new_rooms.empty()) {
    std::vector<std::string> counter_rooms;
    std::vector<std::int64_t> counter_values;
    for (auto const& [room, seq] : last_seq) {
      counter_rooms.push_back(room);
      counter_values.push_back(seq);
    }
    auto const written =
        tx.exec_prepared(write_messages_sql, detail::pg_array_literal(counter_rooms),
                         detail::pg_array_literal(counter_values), detail::pg_array_literal(new_rooms),
                         detail::pg_array_literal(new_seqs), detail::pg_array_literal(new_users),
                         detail::pg_array_literal(new_clients), detail::pg_array_literal(new_texts));
    if (written.size() != new_rooms.size()) {
      throw std::logic_error("insert_messages: the database stored a different number of rows than sent");
    }
    std::vector<std::string> payloads;
    for (auto const& row : written) {
      auto const room = row[0].as<std::string>();
      auto const seq = row[1].as<std::int64_t>();
      auto const it = index_of_seq.find(std::make_pair(std::string_view(room), seq));
      if (it == index_of_seq.end()) {
        throw std::logic_error("insert_messages: the database returned a row that was not sent");
      }
      auto const& m = batch[it->second];
      auto& s = out[it->second];
      s.msg.room = m.room;
      s.msg.seq = seq;
      s.msg.id = row[2].as<std::string>();
      s.msg.ts_ms = row[3].as<std::int64_t>();
      s.msg.author = user{m.user_id, row[4].as<std::string>(), row[5].as<std::string>()};
      s.msg.text = m.text;
      s.client_id = m.client_id;
      s.duplicate = false;
    }
    if (impl_->announce.message_payload) {
      // In input order, which within a room is seq order: NOTIFYs are delivered in send order.
      for (auto i : firsts) {
        if (!out[i].duplicate && out[i].msg.seq > 0) {
          payloads.push_back(impl_->announce.message_payload(out[i].msg));
        }
      }
      tx.exec_prepared(notify_sql, impl_->announce.channel, detail::pg_array_literal(payloads));
    }
  }
  tx.commit();

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
  auto const r = tx.exec_prepared(last_seq_sql, std::string(room));
  return r.empty() ? 0 : r[0][0].as<std::int64_t>();
}

bool repository::tombstone(std::string_view room, std::int64_t seq) {
  require_no_nul(room, "room");
  pqxx::work tx(impl_->conn, "tombstone");
  bool const done = tx.exec_prepared(tombstone_sql, std::string(room), seq).affected_rows() == 1;
  if (done && impl_->announce.deleted_payload) {
    std::vector<std::string> payloads{impl_->announce.deleted_payload(room, seq)};
    tx.exec_prepared(notify_sql, impl_->announce.channel, detail::pg_array_literal(payloads));
  }
  tx.commit();
  return done;
}

void repository::announce_with(announcer a) { impl_->announce = std::move(a); }

void repository::ping() {
  pqxx::nontransaction tx(impl_->conn);
  tx.exec_prepared1(ping_sql);
}

}  // namespace chatd::store
