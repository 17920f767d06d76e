-- Storing a batch and deleting a message each take one statement, so one round trip, committed by
-- the statement itself: the seven round trips of a batch (BEGIN, five statements, COMMIT) were most
-- of what a store cost on a busy server. The functions also announce what they store with NOTIFY,
-- in the format store::announcement parses (include/chatd/store/announcement.hpp), one line per
-- field, the text last because it alone may hold newlines:
--   m\n<seq>\n<room>\n<id>\n<ts_ms>\n<user id>\n<nickname>\n<avatar>\n<text>   a new message
--   r\n<seq>\n<room>\n                        a new message too large for NOTIFY: read it instead
--   d\n<seq>\n<room>\n                        a message was deleted

-- Stores new messages. The arrays run in parallel, one element per message, each (room, user id,
-- client id) at most once; within a room, seqs follow the array order. A key stored before comes
-- back as its original row with duplicate = true and is neither written nor announced again. ord
-- is the message's 1-based position in the arrays.
create function chatd_store_messages(new_rooms text[], new_user_ids text[], new_client_ids text[],
                                     new_texts text[], channel text)
returns table (ord bigint, room text, seq bigint, id bigint, user_id text, nickname text,
               avatar text, text text, ts_ms bigint, deleted boolean, duplicate boolean)
language plpgsql as $$
#variable_conflict use_column
declare
  row record;
  payload text;
begin
  -- Rooms are created and then locked in one fixed order (byte order, whatever the database's
  -- collation), so two writers with overlapping rooms queue behind each other instead of
  -- deadlocking.
  insert into rooms (id)
  select r from (select distinct r from unnest(new_rooms) as r) as d order by r collate "C"
  on conflict do nothing;
  perform 1 from rooms where id = any(new_rooms) order by id collate "C" for update;

  -- A new statement sees what other writers committed before we held the locks: their counters,
  -- and their rows for the same client ids. ts is read with the locks held, so within a room it
  -- grows with seq.
  for row in
    with k as (
      select * from unnest(new_rooms, new_user_ids, new_client_ids, new_texts) with ordinality
        as k (room, user_id, client_id, text, ord)
    ), sent as (
      select k.ord, m.room, m.seq, m.id, m.user_id, m.text, m.ts_ms, m.deleted_at is not null as deleted
      from k join messages m on m.room = k.room and m.user_id = k.user_id and m.client_id = k.client_id
    ), fresh as (
      select k.*, r.last_seq + row_number() over (partition by k.room order by k.ord) as seq
      from k join rooms r on r.id = k.room
      where not exists (select from sent where sent.ord = k.ord)
    ), advanced as (
      update rooms set last_seq = f.seq
      from (select room, max(seq) as seq from fresh group by room) as f where rooms.id = f.room
    ), clock as (
      select (extract(epoch from clock_timestamp()) * 1000)::bigint as ts_ms
    ), inserted as (
      insert into messages (room, seq, user_id, client_id, text, ts_ms)
      select f.room, f.seq, f.user_id, f.client_id, f.text, clock.ts_ms from fresh f cross join clock
      returning id, room, seq, ts_ms
    ), stored as (
      select f.ord, f.room, f.seq, i.id, f.user_id, f.text, i.ts_ms, false as deleted, false as duplicate
      from fresh f join inserted i on i.room = f.room and i.seq = f.seq
      union all
      select s.ord, s.room, s.seq, s.id, s.user_id, s.text, s.ts_ms, s.deleted, true from sent s
    )
    select s.ord, s.room, s.seq, s.id, s.user_id, u.nickname, u.avatar, s.text, s.ts_ms, s.deleted,
           s.duplicate
    from stored s join users u on u.id = s.user_id
    order by s.ord
  loop
    -- In array order, which within a room is seq order: listeners hear a room's messages in order.
    if not row.duplicate then
      payload := concat_ws(E'\n', 'm', row.seq, row.room, row.id, row.ts_ms, row.user_id, row.nickname,
                           row.avatar, row.text);
      -- PostgreSQL refuses payloads of 8000 bytes or more.
      if octet_length(payload) >= 8000 then
        payload := concat_ws(E'\n', 'r', row.seq, row.room, '');
      end if;
      perform pg_notify(channel, payload);
    end if;
    ord := row.ord; room := row.room; seq := row.seq; id := row.id; user_id := row.user_id;
    nickname := row.nickname; avatar := row.avatar; text := row.text; ts_ms := row.ts_ms;
    deleted := row.deleted; duplicate := row.duplicate;
    return next;
  end loop;
end
$$;

-- Tombstones a message and announces it; returns whether it did (false: no such message, or
-- deleted before).
create function chatd_delete_message(target_room text, target_seq bigint, channel text)
returns boolean
language plpgsql as $$
begin
  update messages set deleted_at = now(), text = ''
  where room = target_room and seq = target_seq and deleted_at is null;
  if not found then
    return false;
  end if;
  perform pg_notify(channel, concat_ws(E'\n', 'd', target_seq, target_room, ''));
  return true;
end
$$;
