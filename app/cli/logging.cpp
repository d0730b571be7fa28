// The command line's log: "padsim: LEVEL: message" on stderr, and a message about a place in an
// input ("FILE:LINE:COL: warning: ...", as an error is placed) as it is, without that prefix.
#include <cctype>
#include <memory>
#include <string_view>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "run_command.hpp"

namespace padsim::cli {

namespace {

bool all_digits(std::string_view text) {
  for (const char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return !text.empty();
}

/// Whether `text` starts "FILE:LINE[:COL]: warning: " or "...: error: " (positioned_message()).
bool positioned(std::string_view text) {
  for (const std::string_view severity : {": warning: ", ": error: "}) {
    const std::size_t at = text.find(severity);
    if (at == std::string_view::npos) continue;
    std::string_view head = text.substr(0, at);
    int numbers = 0;
    for (; numbers < 2; ++numbers) {  // ":COL" and ":LINE", from the end
      const std::size_t colon = head.rfind(':');
      if (colon == std::string_view::npos || !all_digits(head.substr(colon + 1))) break;
      head = head.substr(0, colon);
    }
    // FILE itself holds no ": " (a message that only quotes a place, "replication 5 (seed S):
    // s.toml:3:4: error: ...", keeps its prefix).
    return numbers > 0 && !head.empty() && head.find(": ") == std::string_view::npos;
  }
  return false;
}

/// The %* flag: "padsim: LEVEL: ", unless the message places itself.
class LevelPrefix final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    if (positioned(std::string_view(msg.payload.data(), msg.payload.size()))) return;
    const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
    dest.append(std::string_view("padsim: "));
    dest.append(level.data(), level.data() + level.size());
    dest.append(std::string_view(": "));
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<LevelPrefix>();
  }
};

}  // namespace

void setup_logging(const CommonOptions& common) {
  // Thread-safe (worker threads may log); not registered by name, so a library that made its own
  // "padsim" logger cannot clash with it.
  auto logger = std::make_shared<spdlog::logger>(
      "padsim", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<LevelPrefix>('*').set_pattern("%^%*%$%v");
  logger->set_formatter(std::move(formatter));
  spdlog::set_default_logger(logger);
  spdlog::set_level(common.verbose ? spdlog::level::debug
                    : common.quiet ? spdlog::level::warn
                                   : spdlog::level::info);
}

}  // namespace padsim::cli
