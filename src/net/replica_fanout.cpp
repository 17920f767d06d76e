#include <chatd/chat/protocol.hpp>
#include <chatd/net/replica_fanout.hpp>
#include <chatd/store/announcement.hpp>

#include <spdlog/spdlog.h>

#include <chrono>

namespace chatd::net {

namespace announcement = store::announcement;

namespace {

// Rows one fill reads; a longer gap takes several.
constexpr int fill_page = 500;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The message's frame, serialised only if a room here takes it.
chat::room_registry::frame_source frame_of(store::message const& msg) {
  return [&msg] {
    return std::make_shared<std::string const>(msg.deleted ? chat::deleted_frame(msg.room, msg.seq) : chat::message_frame(msg));
  };
}

}  // namespace

replica_fanout::replica_fanout(std::shared_ptr<shared_state> state) : state_(std::move(state)) {
  listener_ = std::make_unique<store::notification_listener>(
      state_->settings.database_url, std::string(announcement::channel),
      store::notification_listener::callbacks{
          .on_payload = [this](std::string_view payload) { on_payload(payload); },
          .on_connected = [this] { on_connected(); },
          .on_error = [this](std::string_view error) {
            state_->listening = false;
            spdlog::warn("listening for other replicas failed: {}", error);
          }});
}

replica_fanout::~replica_fanout() { stop(); }

void replica_fanout::stop() {
  if (listener_) {
    listener_->stop();
  }
  state_->listening = false;
}

void replica_fanout::on_connected() {
  state_->listening = true;
  for (auto& [room, last] : state_->rooms.positions()) {
    fill(room, last);
  }
}

void replica_fanout::on_payload(std::string_view payload) {
  auto parsed = announcement::parse(payload);
  if (!parsed) {
    spdlog::warn("ignoring a malformed announcement ({} bytes)", payload.size());
    return;
  }
  switch (parsed->what) {
    case announcement::kind::message:
      // The process that stored it has delivered it already (committed), so there the offer finds
      // an old seq and neither builds nor times anything.
      if (offer(parsed->room, parsed->seq, frame_of(parsed->msg)) > 0) {
        observe_latency(parsed->msg.ts_ms);
      }
      break;
    case announcement::kind::reference:
      if (state_->rooms.online(parsed->room) > 0) {
        fill(parsed->room, parsed->seq - 1);
      }
      break;
    case announcement::kind::presence:
      if (parsed->replica != state_->replica_id) {
        auto const now = std::chrono::steady_clock::now();
        for (auto const& [room, count] : parsed->members) {
          state_->presence.update(parsed->replica, room, count, now);  // shown at the next presence tick
        }
      }
      break;
    case announcement::kind::deleted:
      state_->rooms.broadcast(parsed->room, std::make_shared<std::string const>(chat::deleted_frame(parsed->room, parsed->seq)));
      break;
  }
}

void replica_fanout::committed(store::message const& msg) {
  if (offer(msg.room, msg.seq, frame_of(msg)) > 0) {
    observe_latency(msg.ts_ms);
  }
}

std::size_t replica_fanout::offer(std::string const& room, std::int64_t seq,
                                  chat::room_registry::frame_source const& make_frame) {
  auto result = state_->rooms.offer(room, seq, make_frame);
  if (result.delivered > 0) {
    state_->metrics.messages_delivered.inc(static_cast<double>(result.delivered));
  }
  if (result.fill_after) {
    fill(room, *result.fill_after);
  }
  return result.delivered;
}

void replica_fanout::observe_latency(std::int64_t ts_ms) {
  if (ts_ms > 0) {
    state_->metrics.fanout_latency.observe(static_cast<double>(std::max<std::int64_t>(0, now_ms() - ts_ms)) / 1000.0);
  }
}

void replica_fanout::fill(std::string room, std::int64_t after_seq) {
  auto state = state_;
  state_->db.submit(
      room, "history",
      [this, state, room, after_seq](store::repository& repo) {
        auto page = repo.after(room, after_seq, fill_page);
        for (auto const& msg : page.messages) {
          offer(room, msg.seq, frame_of(msg));
        }
        if (auto again = state->rooms.fill_done(room)) {
          fill(room, *again);
        } else if (page.has_more) {
          fill(room, page.messages.back().seq);
        }
      },
      [state, room](store::db_status) {
        // Retried by the next announcement for the room or the next reconnect.
        state->rooms.fill_failed(room);
        spdlog::warn("could not fill a gap in room '{}' from the database", room);
      });
}

}  // namespace chatd::net
