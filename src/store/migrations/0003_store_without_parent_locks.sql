-- Makes storing a message cheaper for the database, which every replica shares. Measured with
-- pgbench calling chatd_store_messages (docs/benchmarks.md):
--
-- The foreign keys of messages go. Each inserted row ran two checks that lock the parent rows
-- (rooms and users) with FOR KEY SHARE, a WAL record each, for a quarter of the store's CPU. The
-- store function is the only writer of messages and keeps both promises itself: it refuses an
-- author that is not in users, aborting the whole call, and records a room in rooms when it
-- stores the room's first message (instead of trying to insert every batch's rooms).
--
-- The function runs with plan_cache_mode = force_generic_plan. Left to choose, PostgreSQL kept
-- planning the statement afresh on every call because a custom plan looked cheaper than the
-- generic one, and the planning was a third of a one-message call (0.66 -> 0.37 ms). The generic
-- plan is safe however young the database it was made on: every lookup is a per-row index probe
-- (see 0002, and tests/integration/store/store_plan_test.cpp).

alter table messages drop constraint messages_room_fkey, drop constraint messages_user_id_fkey;

create or replace function chatd_store_messages(new_rooms text[], new_user_ids text[], new_client_ids text[],
                                     new_texts text[], channel text)
returns table (room text, seq bigint, id bigint, user_id text, client_id text, nickname text,
               avatar text, text text, ts_ms bigint, deleted boolean, duplicate boolean)
language plpgsql
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
  room_lock integer;
  stored_row record;
  payload text;
begin
  -- One lock per room (rooms whose ids hash alike share one, which only makes them queue), taken
  -- in one global order so that two writers with overlapping rooms never wait for each other in a
  -- cycle. Held until commit: the next writer of the room reads the seqs this one wrote.
  for room_lock in select distinct hashtext(r) from unnest(new_rooms) as r order by 1 loop
    perform pg_advisory_xact_lock(1667784308, room_lock);  -- "chat" in ASCII: chatd's lock class
  end loop;

  -- A new statement sees what other writers committed before we held the locks: their seqs, and
  -- their rows for the same client ids. ts is read with the locks held, so within a room it grows
  -- with seq.
  --
  -- PL/pgSQL keeps one generic plan per session, made from the statistics of the moment, which on
  -- a young database say the tables are tiny: a join with messages would then be planned as one
  -- scan of the whole table and kept while the table grows. So every lookup in a table is a
  -- per-row subquery (a lateral one with limit 1, which the planner cannot turn into a join), where
  -- one row from an index always costs less than reading the table, and no two sets of rows are
  -- joined at all.
  for stored_row in
    with k as (
      select * from unnest(new_rooms, new_user_ids, new_client_ids, new_texts) with ordinality
        as k (room, user_id, client_id, text, ord)
    ), looked_up as (
      select k.*, m.seq as sent_seq, m.id as sent_id, m.text as sent_text, m.ts_ms as sent_ts_ms,
             m.deleted_at is not null as sent_deleted
      from k left join lateral (
        select * from messages m
        where m.room = k.room and m.user_id = k.user_id and m.client_id = k.client_id limit 1
      ) as m on true
    ), fresh as (
      select l.room, l.user_id, l.client_id, l.text,
             (select coalesce(max(m.seq), 0) from messages m where m.room = l.room)
               + row_number() over (partition by l.room order by l.ord) as seq
      from looked_up l where l.sent_id is null
    ), clock as (
      select (extract(epoch from clock_timestamp()) * 1000)::bigint as ts_ms
    ), inserted as (
      insert into messages (room, seq, user_id, client_id, text, ts_ms)
      select f.room, f.seq, f.user_id, f.client_id, f.text, clock.ts_ms from fresh f cross join clock
      returning room, seq, id, user_id, client_id, text, ts_ms
    ), registered as (
      insert into rooms (id) select i.room from inserted i where i.seq = 1 on conflict do nothing
    ), stored as (
      select i.*, false as deleted, false as duplicate from inserted i
      union all
      select l.room, l.sent_seq, l.sent_id, l.user_id, l.client_id, l.sent_text, l.sent_ts_ms, l.sent_deleted, true
      from looked_up l where l.sent_id is not null
    )
    select s.room, s.seq, s.id, s.user_id, s.client_id, u.nickname, u.avatar, s.text, s.ts_ms, s.deleted,
           s.duplicate
    from stored s left join lateral (select * from users u where u.id = s.user_id limit 1) as u on true
    order by s.seq
  loop
    -- Aborts the statement, and with it the insert, before anything is announced.
    if stored_row.nickname is null then
      raise foreign_key_violation using message = format('chatd_store_messages: no user %L', stored_row.user_id);
    end if;
    -- In seq order: listeners hear each room's messages in order.
    if not stored_row.duplicate then
      payload := concat_ws(E'\n', 'm', stored_row.seq, stored_row.room, stored_row.id, stored_row.ts_ms,
                           stored_row.user_id, stored_row.nickname, stored_row.avatar, stored_row.text);
      -- PostgreSQL refuses payloads of 8000 bytes or more.
      if octet_length(payload) >= 8000 then
        payload := concat_ws(E'\n', 'r', stored_row.seq, stored_row.room, '');
      end if;
      perform pg_notify(channel, payload);
    end if;
    room := stored_row.room; seq := stored_row.seq; id := stored_row.id; user_id := stored_row.user_id;
    client_id := stored_row.client_id; nickname := stored_row.nickname; avatar := stored_row.avatar;
    text := stored_row.text; ts_ms := stored_row.ts_ms; deleted := stored_row.deleted;
    duplicate := stored_row.duplicate;
    return next;
  end loop;
end
$$;
