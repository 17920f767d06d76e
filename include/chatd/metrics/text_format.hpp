#pragma once

#include <chatd/metrics/labels.hpp>

#include <string>
#include <string_view>

// Pieces of the Prometheus text exposition format 0.0.4.
namespace chatd::metrics::text_format {

// What GET /metrics answers with in Content-Type.
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name) noexcept;
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool is_valid_label_name(std::string_view name) noexcept;
bool is_valid_utf8(std::string_view text) noexcept;

// Appends a sample value: "+Inf", "-Inf", "NaN", whole numbers without exponent or fraction
// ("1000000", not "1e+06"), others in the shortest form that reads back to the same double.
void append_value(std::string& out, double v);
std::string format_value(double v);

// Label values escape backslash, double quote and newline; HELP text escapes backslash and newline.
void append_escaped_label_value(std::string& out, std::string_view value);
void append_escaped_help(std::string& out, std::string_view help);

// `name="value",...` without braces, in the given order.
std::string render_labels(labels const& l);

}  // namespace chatd::metrics::text_format
