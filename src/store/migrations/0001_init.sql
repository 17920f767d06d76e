-- chatd's initial schema. Applied by repository::migrate() inside one transaction, under an
-- advisory lock; the migration runner records it in schema_migrations.

-- Guests. The id is what other members see; the token never is, and the database only keeps the
-- SHA-256 of it (bytea, so the key is 32 bytes whatever text form the caller hashes to), unique
-- because a token names exactly one guest.
create table users (
  id text primary key check (id ~ '^u_[0-9a-f]{24}$'),
  token_hash bytea not null unique,
  nickname text not null,
  avatar text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per room, holding the room's sequence counter. Writers lock this row (sorted by id, so
-- two writers never wait for each other in a cycle) and advance last_seq by the number of messages
-- they store. A sequence object would be cheaper but leaves gaps on rollback; the protocol promises
-- contiguous seqs, so the counter must be transactional.
create table rooms (
  id text primary key,
  last_seq bigint not null default 0 check (last_seq >= 0),
  created_at timestamptz not null default now()
);

-- Messages, with the whole history of every room. id is the stable public id; (room, seq) is the
-- order members see. ts_ms is the server's clock in Unix milliseconds, taken after the room lock
-- so it never goes backwards as seq grows (barring a clock step). A tombstone keeps its row and
-- seq with deleted_at set and text erased, so seqs stay contiguous and the content is really gone.
create table messages (
  id bigint generated always as identity primary key,
  room text not null references rooms (id),
  seq bigint not null check (seq > 0),
  user_id text not null references users (id),
  client_id text not null,
  text text not null,
  ts_ms bigint not null,
  deleted_at timestamptz,
  -- Paging reads walk this index in both directions.
  constraint messages_room_seq_key unique (room, seq),
  -- Idempotent resends: a client retries with the same client_id and gets the original row.
  constraint messages_idempotency_key unique (room, user_id, client_id)
);
