#include <chatd/metrics/registry.hpp>
#include <chatd/metrics/text_format.hpp>

#include <algorithm>
#include <exception>
#include <limits>
#include <stdexcept>
#include <utility>
#include <variant>

namespace chatd::metrics {

namespace {

using callback = std::function<double()>;

std::string_view type_name(registry::kind k) {
  switch (k) {
    case registry::kind::counter:
      return "counter";
    case registry::kind::gauge:
      return "gauge";
    case registry::kind::histogram:
      return "histogram";
  }
  std::terminate();
}

[[noreturn]] void reject(std::string const& name, std::string_view why) {
  throw std::invalid_argument("metric '" + name + "': " + std::string(why));
}

double read_callback(callback const& read) {
  try {
    return read();
  } catch (std::exception const&) {
    // Reported as NaN so one broken reader does not fail the whole scrape; the gap is visible on
    // the dashboard.
    return std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace

struct registry::series {
  std::string label_text;  // `a="b",c="d"`, escaped once at registration
  std::variant<std::unique_ptr<counter>, std::unique_ptr<gauge>, std::unique_ptr<histogram>, callback> value;
};

struct registry::family {
  std::string name;
  std::string help;
  kind type;
  std::vector<double> bounds;            // histograms only
  std::vector<std::string> bound_texts;  // the `le` values, formatted once
  std::vector<labels> keys;              // each series' labels sorted by name, for duplicate checks
  std::vector<std::unique_ptr<series>> members;
};

registry::registry() = default;
registry::~registry() = default;

void registry::add_series(std::string&& name, std::string&& help, kind k, labels const& l,
                          std::vector<double> const* bounds, std::unique_ptr<series> s) {
  if (!text_format::is_valid_metric_name(name)) {
    reject(name, "not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  if (!text_format::is_valid_utf8(help)) {
    reject(name, "help text is not valid UTF-8");
  }
  labels key = l;
  std::sort(key.begin(), key.end());
  for (std::size_t i = 0; i < key.size(); ++i) {
    auto const& [label, value] = key[i];
    if (!text_format::is_valid_label_name(label)) {
      reject(name, "label name '" + label + "' is not valid ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)");
    }
    if (k == kind::histogram && label == "le") {
      reject(name, "label name 'le' is reserved for histogram buckets");
    }
    if (i > 0 && key[i - 1].first == label) {
      reject(name, "label '" + label + "' given twice");
    }
    if (!text_format::is_valid_utf8(value)) {
      reject(name, "value of label '" + label + "' is not valid UTF-8");
    }
  }

  s->label_text = text_format::render_labels(l);

  std::lock_guard lock(mutex_);
  family* f = nullptr;
  if (auto found = by_name_.find(name); found != by_name_.end()) {
    f = found->second;
    if (f->type != k) {
      reject(name, "already registered as a " + std::string(type_name(f->type)));
    }
    if (f->help != help) {
      reject(name, "already registered with a different help text");
    }
    if (bounds != nullptr && f->bounds != *bounds) {
      reject(name, "already registered with different bucket bounds");
    }
    if (std::find(f->keys.begin(), f->keys.end(), key) != f->keys.end()) {
      reject(name, "a series with these labels is already registered");
    }
  } else {
    std::vector<std::string> sample_names;
    if (k == kind::histogram) {
      sample_names = {name + "_bucket", name + "_sum", name + "_count"};
    } else {
      sample_names = {name};
    }
    for (auto const& sample : sample_names) {
      if (auto clash = by_sample_name_.find(sample); clash != by_sample_name_.end()) {
        reject(name, "its samples named '" + sample + "' would clash with metric '" + clash->second->name + "'");
      }
    }
    auto created = std::make_unique<family>();
    created->name = name;
    created->help = std::move(help);
    created->type = k;
    if (bounds != nullptr) {
      created->bounds = *bounds;
      for (double b : *bounds) {
        created->bound_texts.push_back(text_format::format_value(b));
      }
    }
    f = created.get();
    families_.push_back(std::move(created));
    by_name_.emplace(std::move(name), f);
    for (auto& sample : sample_names) {
      by_sample_name_.emplace(std::move(sample), f);
    }
  }
  f->keys.push_back(std::move(key));
  f->members.push_back(std::move(s));
}

counter& registry::add_counter(std::string name, std::string help, labels l) {
  auto value = std::make_unique<counter>();
  auto& ref = *value;
  add_series(std::move(name), std::move(help), kind::counter, l, nullptr,
             std::make_unique<series>(series{{}, std::move(value)}));
  return ref;
}

gauge& registry::add_gauge(std::string name, std::string help, labels l) {
  auto value = std::make_unique<gauge>();
  auto& ref = *value;
  add_series(std::move(name), std::move(help), kind::gauge, l, nullptr,
             std::make_unique<series>(series{{}, std::move(value)}));
  return ref;
}

histogram& registry::add_histogram(std::string name, std::string help, std::vector<double> bounds, labels l) {
  // Validates the bounds before anything is registered.
  auto value = std::make_unique<histogram>(std::move(bounds));
  auto& ref = *value;
  add_series(std::move(name), std::move(help), kind::histogram, l, &ref.bounds(),
             std::make_unique<series>(series{{}, std::move(value)}));
  return ref;
}

void registry::add_callback_gauge(std::string name, std::string help, std::function<double()> read, labels l) {
  if (!read) {
    reject(name, "callback is empty");
  }
  add_series(std::move(name), std::move(help), kind::gauge, l, nullptr,
             std::make_unique<series>(series{{}, std::move(read)}));
}

void registry::add_callback_counter(std::string name, std::string help, std::function<double()> read, labels l) {
  if (!read) {
    reject(name, "callback is empty");
  }
  add_series(std::move(name), std::move(help), kind::counter, l, nullptr,
             std::make_unique<series>(series{{}, std::move(read)}));
}

namespace {

// name{labels} value\n, where `extra` is one more label rendered after the series' own (le="...").
void append_sample(std::string& out, std::string_view name, std::string_view suffix, std::string_view label_text,
                   std::string_view extra, double value) {
  out += name;
  out += suffix;
  if (!label_text.empty() || !extra.empty()) {
    out += '{';
    out += label_text;
    if (!label_text.empty() && !extra.empty()) {
      out += ',';
    }
    out += extra;
    out += '}';
  }
  out += ' ';
  text_format::append_value(out, value);
  out += '\n';
}

}  // namespace

std::string registry::expose() const {
  std::string out;
  std::string le;
  std::lock_guard lock(mutex_);
  out.reserve(families_.size() * 160);
  for (auto const& f : families_) {
    out += "# HELP ";
    out += f->name;
    out += ' ';
    text_format::append_escaped_help(out, f->help);
    out += "\n# TYPE ";
    out += f->name;
    out += ' ';
    out += type_name(f->type);
    out += '\n';
    for (auto const& s : f->members) {
      if (auto const* c = std::get_if<std::unique_ptr<counter>>(&s->value)) {
        append_sample(out, f->name, "", s->label_text, "", (*c)->value());
      } else if (auto const* g = std::get_if<std::unique_ptr<gauge>>(&s->value)) {
        append_sample(out, f->name, "", s->label_text, "", (*g)->value());
      } else if (auto const* read = std::get_if<callback>(&s->value)) {
        append_sample(out, f->name, "", s->label_text, "", read_callback(*read));
      } else {
        auto const& h = *std::get<std::unique_ptr<histogram>>(s->value);
        // One snapshot, so the +Inf bucket and _count agree.
        auto const counts = h.cumulative_counts();
        for (std::size_t i = 0; i < counts.size(); ++i) {
          le = "le=\"";
          le += i < f->bound_texts.size() ? std::string_view(f->bound_texts[i]) : std::string_view("+Inf");
          le += '"';
          append_sample(out, f->name, "_bucket", s->label_text, le, static_cast<double>(counts[i]));
        }
        append_sample(out, f->name, "_sum", s->label_text, "", h.sum());
        append_sample(out, f->name, "_count", s->label_text, "", static_cast<double>(counts.back()));
      }
    }
  }
  return out;
}

}  // namespace chatd::metrics
