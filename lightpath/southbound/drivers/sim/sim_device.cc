// The simulated device.
#include "lightpath/southbound/drivers/sim/sim_device.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "lightpath/southbound/entries.h"

namespace lightpath {
namespace {
constexpr std::size_t kJournalMinLines = 1024;
constexpr std::size_t kJournalPiece = 1 << 20;        // read at a time at a start
constexpr std::size_t kEntriesPerCompactLine = 1024;  // a compacted journal's lines

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

std::int64_t micros(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint fromMicros(std::int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

}  // namespace

SimDevice::SimDevice(std::string name, SimFaults faults, std::uint64_t seed, const Clock* clock)
    : name_(std::move(name)),
      faults_(std::move(faults)),
      random_(seed),
      clock_(clock ? clock : &systemClock()) {}

void SimDevice::setFaults(SimFaults faults) {
  std::lock_guard lock(mutex_);
  settleCounters(clock_->now());  // up to now at the rates as they were
  faults_ = std::move(faults);
}

double SimDevice::bytesPerSecond(std::string_view mbps) const {
  double rate = 0;
  if (faults_.down || mbps.empty()) return 0;
  const auto [end, error] = std::from_chars(mbps.data(), mbps.data() + mbps.size(), rate);
  return error == std::errc() && end == mbps.data() + mbps.size() && rate > 0 ? rate * 1e6 / 8 : 0;
}

namespace {
double counted(const SimDevice::Counter& counter, double bytes_per_second, TimePoint now) {
  const double seconds =
      std::chrono::duration<double>(std::max(now, counter.since) - counter.since).count();
  return counter.bytes + bytes_per_second * seconds;
}
}  // namespace

double SimDevice::countedBy(const EntryTable::Ref& entry, TimePoint now) const {
  return counted(entry.counter(), bytesPerSecond(entry.value("mbps")), now);
}

SimDevice::Counter SimDevice::settled(const std::string& key, TimePoint now) const {
  auto entry = running_.find(key);
  if (!entry) return {0, now};
  return {countedBy(*entry, now), now};
}

void SimDevice::settleCounters(TimePoint now) {
  running_.forEach([&](const EntryTable::Ref& entry) {
    entry.setCounter({countedBy(entry, now), std::max(now, entry.counter().since)});
  });
}

SimDevice::~SimDevice() {
  if (journal_fd_ >= 0) ::close(journal_fd_);
}

namespace {

// An entry as a journal line holds it, with its counter (bytes up to `since`, in µs).
std::string entryJson(const ConfigEntry& e, const SimDevice::Counter* counter) {
  nlohmann::json entry{{"key", e.key}, {"owner", e.owner}, {"values", e.values}};
  if (counter) {
    entry["octets"] = counter->bytes;
    entry["since"] = micros(counter->since);
  }
  return entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A change as a journal line; each entry set with its counter when `counters` has one.
std::string changeLine(const std::vector<ConfigEntry>& set, const std::vector<std::string>& remove,
                       const std::map<std::string, SimDevice::Counter>& counters) {
  std::string line =
      R"({"remove":)" +
      nlohmann::json(remove).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
      R"(,"set":[)";
  for (const ConfigEntry& e : set) {
    if (&e != set.data()) line += ',';
    auto c = counters.find(e.key);
    line += entryJson(e, c == counters.end() ? nullptr : &c->second);
  }
  return line + "]}\n";
}

Status writeAll(int fd, const std::string& text, const std::string& path) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unavailable(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace

Status SimDevice::replay(std::string_view line, std::size_t capacity) {
  // simdjson: a large book's journals hold hundreds of megabytes, read at every start.
  static thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc =
      parser.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity));
  bool removed = false, set = false;
  for (auto field : doc.get_object()) {
    const std::string_view name = field.unescaped_key();
    if (name == "remove") {
      removed = true;
      for (auto key : field.value().get_array()) running_.erase(std::string_view(key.get_string()));
    } else if (name == "set") {
      set = true;
      for (auto item : field.value().get_array()) {
        std::optional<std::string_view> key, owner;
        std::vector<std::pair<std::string_view, std::string_view>> values;
        double octets = 0;
        std::optional<TimePoint> since;
        for (auto part : item.get_object()) {
          const std::string_view what = part.unescaped_key();
          if (what == "key") {
            key = part.value().get_string();
          } else if (what == "owner") {
            owner = part.value().get_string();
          } else if (what == "values") {
            for (auto value : part.value().get_object())
              values.emplace_back(value.unescaped_key(), value.value().get_string());
          } else if (what == "octets") {
            octets = part.value().get_double();
          } else if (what == "since") {
            since = fromMicros(part.value().get_int64());
          }
        }
        if (!key || !owner) return invalidArgument("an entry without its key or owner");
        std::sort(values.begin(), values.end());
        // Journals list keys in order (a compacted one sorted, appended ones by time-sortable
        // connection ids): the table places each at its end without a search.
        // Journals written before counters: counting starts now.
        running_.set(*key, *owner, values, {octets, since ? *since : clock_->now()});
      }
    }
  }
  if (!removed || !set) return invalidArgument("a change needs \"remove\" and \"set\"");
  return Status::ok();
}

Status SimDevice::keepIn(const std::string& path) {
  std::lock_guard lock(mutex_);
  // Read a piece at a time into one buffer: a large book's journals hold hundreds of megabytes,
  // and a buffer the size of each would be fresh memory to fault in at every start.
  constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;  // simdjson reads past a line
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 && errno != ENOENT)
    return unavailable(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  std::string buffer;
  std::size_t filled = 0;  // bytes read and not yet replayed: the start of a line
  std::size_t lines = 0;
  Status status = Status::ok();
  for (bool more = in >= 0; more && status.isOk();) {
    // Room for a piece more: a line longer than the buffer grows it.
    if (buffer.size() < filled + kJournalPiece + kPadding)
      buffer.resize(filled + kJournalPiece + kPadding);
    const ssize_t n = ::read(in, buffer.data() + filled, buffer.size() - kPadding - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = unavailable(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
      break;
    }
    more = n > 0;
    filled += static_cast<std::size_t>(n);
    std::size_t at = 0;
    for (const char* end; (end = static_cast<const char*>(
                               std::memchr(buffer.data() + at, '\n', filled - at))) != nullptr;) {
      const std::size_t length = static_cast<std::size_t>(end - buffer.data()) - at;
      ++lines;
      try {
        status = replay(std::string_view(buffer.data() + at, length), buffer.size() - at);
      } catch (const simdjson::simdjson_error& error) {
        status = invalidArgument(error.what());
      }
      if (!status.isOk()) {
        status = invalidArgument(
            fmt::format("{}:{}: not a device change: {}", path, lines, status.message()));
        break;
      }
      at += length + 1;
    }
    std::memmove(buffer.data(), buffer.data() + at, filled - at);
    filled -= at;
  }
  if (in >= 0) ::close(in);
  LP_RETURN_IF_ERROR(status);
  // No newline at the end: a last line torn by a crash mid-write, never applied.
  const bool torn = filled > 0;
  journal_path_ = path;
  // Rewritten only when it must be (a torn line to drop, or grown past its bound): a start
  // costs one read of each journal, not a rewrite and an fsync.
  if (torn || lines == 0 || lines > std::max<std::size_t>(kJournalMinLines, 2 * running_.size()))
    return compact();
  journal_fd_ = ::open(journal_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0)
    return unavailable(fmt::format("{}: cannot open: {}", journal_path_, std::strerror(errno)));
  journal_lines_ = lines;
  return Status::ok();
}

Status SimDevice::compact() {
  // The running configuration, swapped in whole: a crash leaves the old journal or the new one,
  // never half of either. Written a line of entries at a time (no second copy of the table;
  // a start reads it back a piece at a time).
  const std::string tmp = journal_path_ + ".tmp";
  const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) return unavailable(fmt::format("{}: cannot create: {}", tmp, std::strerror(errno)));
  Status written = Status::ok();
  std::string line;
  std::size_t in_line = 0, lines = 0;
  auto writeLine = [&] {
    if (in_line == 0) line = R"({"remove":[],"set":[)";  // an empty configuration: one line
    line += "]}\n";
    if (written.isOk()) written = writeAll(out, line, tmp);
    ++lines;
    in_line = 0;
  };
  running_.forEach([&](const EntryTable::Ref& entry) {
    if (in_line == 0)
      line = R"({"remove":[],"set":[)";
    else
      line += ',';
    const Counter counter = entry.counter();
    line += entryJson(entry.entry(), &counter);
    if (++in_line == kEntriesPerCompactLine) writeLine();
  });
  if (in_line > 0 || lines == 0) writeLine();
  if (written.isOk() && ::fsync(out) != 0)
    written = unavailable(fmt::format("{}: fsync: {}", tmp, std::strerror(errno)));
  ::close(out);
  LP_RETURN_IF_ERROR(written);
  if (std::rename(tmp.c_str(), journal_path_.c_str()) != 0) {
    return unavailable(fmt::format("{}: cannot replace: {}", journal_path_, std::strerror(errno)));
  }
  if (journal_fd_ >= 0) ::close(journal_fd_);
  journal_fd_ = ::open(journal_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0)
    return unavailable(fmt::format("{}: cannot open: {}", journal_path_, std::strerror(errno)));
  journal_lines_ = lines;
  return Status::ok();
}

void SimDevice::tamper(ConfigEntry entry) {
  std::lock_guard lock(mutex_);
  const Counter counter = settled(entry.key, clock_->now());
  if (journal_fd_ >= 0) {
    (void)writeAll(journal_fd_, changeLine({entry}, {}, {{entry.key, counter}}), journal_path_);
  }
  (void)storeChange({"tamper", {entry}, {}});
  running_.set(entry, counter);
}

std::size_t SimDevice::preparedCount() const {
  std::lock_guard lock(mutex_);
  return prepared_.size();
}

// Entries in the store: kind "sim-entry", under the node (the document's tenant), id
// "<node>|<key>", the body as a journal line's entry.
namespace {
constexpr const char* kEntryKind = "sim-entry";
}  // namespace

std::optional<double> SimDevice::storedCount(const std::string& body, TimePoint now) const {
  try {
    const auto j = nlohmann::json::parse(body);
    const auto values = j.at("values").get<std::map<std::string, std::string>>();
    if (!j.contains("since") || !values.contains("mbps")) return std::nullopt;
    return counted({j.value("octets", 0.0), fromMicros(j.at("since").get<std::int64_t>())},
                   bytesPerSecond(values.at("mbps")), now);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // not an entry of ours: it counts nothing
  }
}

void SimDevice::keepInStore(Store* store) {
  std::lock_guard lock(mutex_);
  store_ = store;
}

Status SimDevice::storeChange(const DeviceChange& change) {
  if (!store_) return Status::ok();
  return store_->transact([&](StoreTransaction& tx) -> Status {
    for (const std::string& key : change.remove) {
      Status s = tx.deleteDocument(kEntryKind, name_ + "|" + key);
      if (!s.isOk() && s.code() != StatusCode::NotFound) return s;
    }
    const TimePoint now = clock_->now();
    for (const ConfigEntry& e : change.set) {
      // The counter goes on from what the entry it replaces had carried.
      LP_ASSIGN_OR_RETURN(auto old, tx.document(kEntryKind, name_ + "|" + e.key));
      const double bytes = old ? storedCount(old->body, now).value_or(0) : 0;
      const nlohmann::json body{{"key", e.key},
                                {"owner", e.owner},
                                {"values", e.values},
                                {"octets", bytes},
                                {"since", micros(now)}};
      LP_RETURN_IF_ERROR(tx.putDocument(
          {.kind = kEntryKind, .id = name_ + "|" + e.key, .tenant = name_, .body = body.dump()}));
    }
    return Status::ok();
  });
}

Result<std::vector<ConfigEntry>> SimDevice::storedEntries(
    const std::vector<std::string>* keys) const {
  std::vector<ConfigEntry> out;
  auto decode = [&](const DocumentRecord& d) -> Status {
    try {
      const auto j = nlohmann::json::parse(d.body);
      out.push_back({j.at("key").get<std::string>(), j.at("owner").get<std::string>(),
                     j.at("values").get<std::map<std::string, std::string>>()});
      return Status::ok();
    } catch (const nlohmann::json::exception& error) {
      return invalidArgument(fmt::format("{}: stored entry {}: {}", name_, d.id, error.what()));
    }
  };
  LP_RETURN_IF_ERROR(store_->read([&](StoreTransaction& tx) -> Status {
    if (keys) {
      for (const std::string& key : *keys) {
        LP_ASSIGN_OR_RETURN(auto d, tx.document(kEntryKind, name_ + "|" + key));
        if (d) LP_RETURN_IF_ERROR(decode(*d));
      }
      return Status::ok();
    }
    constexpr std::size_t kPage = 1000;
    for (std::size_t offset = 0;; offset += kPage) {
      LP_ASSIGN_OR_RETURN(
          auto page,
          tx.documents({.kind = kEntryKind, .tenant = name_, .offset = offset, .limit = kPage},
                       nullptr));
      for (const DocumentRecord& d : page) LP_RETURN_IF_ERROR(decode(d));
      if (page.size() < kPage) return Status::ok();
    }
  }));
  std::sort(out.begin(), out.end(),
            [](const ConfigEntry& a, const ConfigEntry& b) { return a.key < b.key; });
  return out;
}

Status SimDevice::validate(const DeviceChange& change) const {
  if (change.transaction.empty())
    return invalidArgument(fmt::format("{}: a change needs a transaction id", name_));
  std::set<std::string> keys;
  for (const ConfigEntry& e : change.set) {
    if (e.key.empty() || e.owner.empty()) {
      return invalidArgument(fmt::format("{}: entries need a key and an owner", name_));
    }
    if (!keys.insert(e.key).second)
      return invalidArgument(fmt::format("{}: key '{}' set twice", name_, e.key));
    // A device keeps text: a NUL cannot be configured.
    bool nul = e.owner.find('\0') != std::string::npos;
    for (const auto& [name, value] : e.values)
      nul = nul || name.find('\0') != std::string::npos || value.find('\0') != std::string::npos;
    if (nul)
      return invalidArgument(fmt::format("{}: entry '{}' holds a NUL character", name_, e.key));
  }
  return Status::ok();
}

Status SimDevice::maybeFail(const char* step) {
  // Called with the mutex held; sleeping here stalls the device, as a hung box would.
  if (faults_.latency.count() > 0) std::this_thread::sleep_for(faults_.latency);
  if (faults_.hang_at && *faults_.hang_at == step && faults_.hangs != 0) {
    if (faults_.hangs > 0) --faults_.hangs;
    std::this_thread::sleep_for(faults_.hang);
  }
  if (faults_.fail_at && *faults_.fail_at == step) {
    return unavailable(fmt::format("{}: {} failed (injected)", name_, step));
  }
  if (faults_.failure_rate > 0 && random_.uniform() < faults_.failure_rate) {
    return unavailable(fmt::format("{}: {} failed (injected at random)", name_, step));
  }
  return Status::ok();
}

Status SimDevice::prepare(const DeviceChange& change) {
  LP_RETURN_IF_ERROR(validate(change));
  std::lock_guard lock(mutex_);
  LP_RETURN_IF_ERROR(maybeFail("prepare"));
  if (prepared_.contains(change.transaction)) return Status::ok();  // idempotent
  std::size_t after = running_.size();
  for (const ConfigEntry& e : change.set) after += running_.contains(e.key) ? 0 : 1;
  for (const std::string& key : change.remove) after -= running_.contains(key) ? 1 : 0;
  if (after > faults_.max_entries) {
    return failedPrecondition(
        fmt::format("{}: table full ({} entries)", name_, faults_.max_entries));
  }
  prepared_[change.transaction] = change;
  return Status::ok();
}

Status SimDevice::apply(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  auto it = prepared_.find(transaction);
  if (it == prepared_.end()) {
    return failedPrecondition(
        fmt::format("{}: nothing prepared for transaction {}", name_, transaction));
  }
  LP_RETURN_IF_ERROR(maybeFail("apply"));
  // The counters of the entries set, up to now at their old rates (a new one starts at zero);
  // only those: a change costs the same however full the table.
  const TimePoint now = clock_->now();
  std::map<std::string, Counter> touched;
  for (const ConfigEntry& e : it->second.set) touched[e.key] = settled(e.key, now);
  const DeviceChange& change = it->second;
  if (journal_fd_ >= 0) {
    LP_RETURN_IF_ERROR(
        writeAll(journal_fd_, changeLine(change.set, change.remove, touched), journal_path_));
  }
  LP_RETURN_IF_ERROR(storeChange(it->second));
  for (const std::string& key : it->second.remove) running_.erase(key);
  // Like a device that never shows its keys: only their fingerprints are kept (and journaled).
  for (const ConfigEntry& e : it->second.set) running_.set(e, touched.at(e.key));
  prepared_.erase(it);
  // Keep the journal within a few times the configuration; if compacting fails, the journal
  // as it is still holds everything.
  if (journal_fd_ >= 0 &&
      ++journal_lines_ > std::max<std::size_t>(kJournalMinLines, 2 * running_.size())) {
    (void)compact();
  }
  return Status::ok();
}

Status SimDevice::abort(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  prepared_.erase(transaction);
  return Status::ok();
}

Result<std::vector<ConfigEntry>> SimDevice::read(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  if (store_) return storedEntries(&keys);
  std::vector<ConfigEntry> out;
  for (const std::string& key : keys) {
    if (auto entry = running_.find(key)) out.push_back(entry->entry());
  }
  return out;
}

ConfigEntry SimDevice::crossConnect(const CrossConnectIntent& intent) const {
  return crossConnectEntry(intent);
}

ConfigEntry SimDevice::clientService(const ClientServiceIntent& intent) const {
  return clientServiceEntry(intent);
}

ConfigEntry SimDevice::cloudAttachment(const CloudAttachmentIntent& intent) const {
  return cloudAttachmentEntry(intent);
}

Result<std::vector<EntryStatus>> SimDevice::status() {
  std::lock_guard lock(mutex_);
  std::vector<EntryStatus> out;
  if (store_) {
    LP_ASSIGN_OR_RETURN(std::vector<ConfigEntry> entries, storedEntries(nullptr));
    for (const ConfigEntry& e : entries) out.push_back({e.key, e.owner, !faults_.down});
    return out;
  }
  running_.forEach([&](const EntryTable::Ref& entry) {
    out.push_back({std::string(entry.key()), std::string(entry.owner()), !faults_.down});
  });
  return out;
}

Result<std::map<std::string, std::uint64_t>> SimDevice::octets(
    const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_->now();
  std::map<std::string, std::uint64_t> out;
  if (store_) {
    LP_RETURN_IF_ERROR(store_->read([&](StoreTransaction& tx) -> Status {
      for (const std::string& key : keys) {
        LP_ASSIGN_OR_RETURN(auto d, tx.document(kEntryKind, name_ + "|" + key));
        if (!d) continue;
        if (auto bytes = storedCount(d->body, now)) out[key] = static_cast<std::uint64_t>(*bytes);
      }
      return Status::ok();
    }));
    return out;
  }
  for (const std::string& key : keys) {
    auto entry = running_.find(key);
    if (!entry || entry->value("mbps").empty()) continue;
    out[key] = static_cast<std::uint64_t>(countedBy(*entry, now));
  }
  return out;
}

Result<bool> SimDevice::nodeUp() {
  std::lock_guard lock(mutex_);
  return !faults_.down;
}

Result<std::vector<ConfigEntry>> SimDevice::running() {
  std::lock_guard lock(mutex_);
  if (store_) return storedEntries(nullptr);
  std::vector<ConfigEntry> out;
  out.reserve(running_.size());
  running_.forEach([&](const EntryTable::Ref& entry) { out.push_back(entry.entry()); });
  return out;
}

namespace {

// A node id as a file name: safe characters kept, the rest %-escaped (so ids stay distinct).
std::string fileNameOf(const std::string& id) {
  std::string out;
  for (unsigned char ch : id) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || (ch == '.' && !out.empty()))
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
  return out;
}

}  // namespace

Status registerSimDriver(DriverRegistry& registry, const SimFaults& faults) {
  return registry.add(
      "sim", [faults](const DriverContext& context) -> Result<std::shared_ptr<Device>> {
        auto device = std::make_shared<SimDevice>(context.node.id, faults, 1, context.clock);
        if (context.store && context.store->instance() > 0) {
          device->keepInStore(context.store);
        } else if (!context.state_dir.empty()) {
          LP_RETURN_IF_ERROR(device->keepIn(
              (std::filesystem::path(context.state_dir) / (fileNameOf(context.node.id) + ".jsonl"))
                  .string()));
        }
        return std::shared_ptr<Device>(std::move(device));
      });
}

}  // namespace lightpath
