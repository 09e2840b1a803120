// A NETCONF session over libssh: SSH (host key and client key checked here), the netconf
// subsystem, <hello>, framed RPCs.
#include "lightpath/southbound/drivers/netconf/session.h"

#include <fmt/format.h>
#include <libssh/libssh.h>

#include <algorithm>
#include <cstring>
#include <pugixml.hpp>
#include <thread>

namespace lightpath {
namespace {

constexpr const char* kBaseNs = "urn:ietf:params:xml:ns:netconf:base:1.0";
constexpr const char* kEndOfMessage = "]]>]]>";

// Frees what libssh hands out.
struct SshDeleter {
  void operator()(ssh_session s) const {
    if (s) ssh_free(s);
  }
};
using SshPtr = std::unique_ptr<ssh_session_struct, SshDeleter>;
struct KeyDeleter {
  void operator()(ssh_key k) const {
    if (k) ssh_key_free(k);
  }
};

std::string localName(const char* name) {
  const std::string_view n(name);
  const auto colon = n.find(':');
  return std::string(colon == std::string_view::npos ? n : n.substr(colon + 1));
}

// The <rpc-error>s of a reply envelope as one message: the device's words, with the path.
std::string replyErrors(const std::string& envelope) {
  pugi::xml_document doc;
  if (!doc.load_string(envelope.c_str())) return {};
  std::string out;
  for (const pugi::xpath_node& found : doc.select_nodes("//*[local-name()='rpc-error']")) {
    const pugi::xml_node error = found.node();
    std::string message, path, tag;
    for (pugi::xml_node child : error.children()) {
      const std::string name = localName(child.name());
      if (name == "error-message") message = child.text().get();
      if (name == "error-path") path = child.text().get();
      if (name == "error-tag") tag = child.text().get();
    }
    if (!out.empty()) out += "; ";
    out += message.empty() ? tag : message;
    if (!path.empty()) out += fmt::format(" (at {})", path);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<NetconfSession>> NetconfSession::open(const NetconfAccess& access) {
  const std::string where = fmt::format("{}@{}:{}", access.username, access.host, access.port);
  SshPtr ssh(ssh_new());
  if (!ssh) return fail(internalError("cannot create an SSH session"));
  const int port = access.port;
  const long seconds = static_cast<long>(access.timeout.count() / 1000);
  const long micros = static_cast<long>(access.timeout.count() % 1000) * 1000;
  const int no = 0, yes = 1;
  ssh_options_set(ssh.get(), SSH_OPTIONS_PROCESS_CONFIG, &no);  // not the user's ~/.ssh/config
  ssh_options_set(ssh.get(), SSH_OPTIONS_HOST, access.host.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_PORT, &port);
  ssh_options_set(ssh.get(), SSH_OPTIONS_USER, access.username.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_KNOWNHOSTS, access.known_hosts.c_str());
  ssh_options_set(ssh.get(), SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  ssh_options_set(ssh.get(), SSH_OPTIONS_NODELAY, &yes);  // small RPCs: no Nagle delay
  ssh_options_set(ssh.get(), SSH_OPTIONS_TIMEOUT, &seconds);
  ssh_options_set(ssh.get(), SSH_OPTIONS_TIMEOUT_USEC, &micros);
  if (ssh_connect(ssh.get()) != SSH_OK) {
    return fail(
        unavailable(fmt::format("{}: cannot connect: {}", where, ssh_get_error(ssh.get()))));
  }
  switch (ssh_session_is_known_server(ssh.get())) {
    case SSH_KNOWN_HOSTS_OK:
      break;
    case SSH_KNOWN_HOSTS_CHANGED:
      return fail(permissionDenied(fmt::format(
          "{}: the device's host key is not the one in {}: refusing it (a changed key may be "
          "an impostor; if the device was rebuilt, replace its line)",
          where, access.known_hosts)));
    case SSH_KNOWN_HOSTS_OTHER:
      return fail(permissionDenied(
          fmt::format("{}: the device offers a host key of another type than the one in {}: "
                      "refusing it",
                      where, access.known_hosts)));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      return fail(permissionDenied(
          fmt::format("{}: unknown host key (not in {}): add the device's key there first", where,
                      access.known_hosts)));
    default:
      return fail(unavailable(fmt::format("{}: cannot check the host key against {}: {}", where,
                                          access.known_hosts, ssh_get_error(ssh.get()))));
  }
  ssh_key raw_key = nullptr;
  if (ssh_pki_import_privkey_file(access.key_file.c_str(), nullptr, nullptr, nullptr, &raw_key) !=
      SSH_OK) {
    return fail(failedPrecondition(
        fmt::format("{}: cannot read the client key {}", where, access.key_file)));
  }
  const std::unique_ptr<ssh_key_struct, KeyDeleter> key(raw_key);
  if (ssh_userauth_publickey(ssh.get(), nullptr, key.get()) != SSH_AUTH_SUCCESS) {
    return fail(permissionDenied(
        fmt::format("{}: the device refused the client key {}", where, access.key_file)));
  }
  ssh_channel channel = ssh_channel_new(ssh.get());
  if (!channel || ssh_channel_open_session(channel) != SSH_OK ||
      ssh_channel_request_subsystem(channel, "netconf") != SSH_OK) {
    const std::string error = ssh_get_error(ssh.get());
    if (channel) ssh_channel_free(channel);
    return fail(unavailable(fmt::format("{}: no netconf subsystem: {}", where, error)));
  }
  std::unique_ptr<NetconfSession> session(
      new NetconfSession(ssh.release(), channel, where, access.timeout));
  // Both sides say hello at once (RFC 6241 8.1), each with end-of-message framing.
  LP_RETURN_IF_ERROR(session->send(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><hello xmlns=\"" + std::string(kBaseNs) +
      "\"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability>"
      "<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>"));
  LP_ASSIGN_OR_RETURN(std::string hello,
                      session->receive(std::chrono::steady_clock::now() + access.timeout));
  pugi::xml_document doc;
  if (!doc.load_string(hello.c_str()))
    return fail(unavailable(fmt::format("{}: the device's <hello> is not XML", where)));
  for (const pugi::xpath_node& c : doc.select_nodes("//*[local-name()='capability']")) {
    std::string text = c.node().text().get();
    text.erase(0, text.find_first_not_of(" \t\r\n"));
    text.erase(text.find_last_not_of(" \t\r\n") + 1);
    session->capabilities_.push_back(std::move(text));
  }
  session->chunked_ = session->supports("urn:ietf:params:netconf:base:1.1");
  // Framing turns chunked once the device has read our <hello>. A device that reads our hello
  // and the first RPC in one go may still take the RPC as end-of-message framed and wait for
  // "]]>]]>" forever (yuma123's netconfd does: reading 27 of them at once, one to four hung until
  // the deadline in half the tries). A short pause, once per session, lets it take the hello alone
  // first.
  if (session->chunked_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return session;
}

NetconfSession::NetconfSession(ssh_session_struct* ssh, ssh_channel_struct* channel,
                               std::string where, std::chrono::milliseconds timeout)
    : ssh_(ssh), channel_(channel), where_(std::move(where)), timeout_(timeout) {}

NetconfSession::~NetconfSession() {
  // No <close-session>: waiting for its reply could stall; closing the channel ends the session.
  ssh_channel_close(channel_);
  ssh_channel_free(channel_);
  ssh_disconnect(ssh_);
  ssh_free(ssh_);
}

bool NetconfSession::supports(std::string_view capability) const {
  std::string prefix(capability);
  if (capability.starts_with(':')) {
    prefix = fmt::format("urn:ietf:params:netconf:capability:{}", capability.substr(1));
  }
  return std::any_of(capabilities_.begin(), capabilities_.end(),
                     [&](const std::string& c) { return c.starts_with(prefix); });
}

Status NetconfSession::send(const std::string& message) {
  const std::string framed =
      chunked_ ? fmt::format("\n#{}\n{}\n##\n", message.size(), message) : message + kEndOfMessage;
  for (std::size_t done = 0; done < framed.size();) {
    const int n = ssh_channel_write(channel_, framed.data() + done,
                                    static_cast<std::uint32_t>(framed.size() - done));
    if (n <= 0) {
      broken_ = true;
      return unavailable(fmt::format("{}: cannot send: {}", where_, ssh_get_error(ssh_)));
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

Result<std::string> NetconfSession::receive(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    // A whole message in the buffer?
    if (!chunked_) {
      if (auto end = buffer_.find(kEndOfMessage); end != std::string::npos) {
        std::string message = buffer_.substr(0, end);
        buffer_.erase(0, end + std::strlen(kEndOfMessage));
        return message;
      }
    } else {
      // Chunks: "\n#<size>\n<size bytes>" ... "\n##\n".
      std::string message;
      std::size_t at = 0;
      bool complete = false, malformed = false;
      while (at < buffer_.size()) {
        if (buffer_.compare(at, 4, "\n##\n") == 0) {
          complete = true;
          at += 4;
          break;
        }
        if (buffer_.size() - at < 4) break;
        if (buffer_.compare(at, 2, "\n#") != 0) {
          malformed = true;
          break;
        }
        const auto newline = buffer_.find('\n', at + 2);
        if (newline == std::string::npos) break;
        std::size_t size = 0;
        for (std::size_t i = at + 2; i < newline; ++i) {
          if (buffer_[i] < '0' || buffer_[i] > '9' || size > 100'000'000) malformed = true;
          size = size * 10 + static_cast<std::size_t>(buffer_[i] - '0');
        }
        if (malformed || size == 0) {
          malformed = true;
          break;
        }
        if (buffer_.size() < newline + 1 + size) break;
        message.append(buffer_, newline + 1, size);
        at = newline + 1 + size;
      }
      if (malformed) {
        broken_ = true;
        return fail(unavailable(fmt::format("{}: the device broke the chunked framing", where_)));
      }
      if (complete) {
        buffer_.erase(0, at);
        return message;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      broken_ = true;
      return fail(unavailable(fmt::format("{}: no answer within {} ms", where_, timeout_.count())));
    }
    char chunk[16384];
    const int n =
        ssh_channel_read_timeout(channel_, chunk, sizeof chunk, 0, static_cast<int>(left.count()));
    if (n == SSH_ERROR || (n == 0 && ssh_channel_is_eof(channel_))) {
      broken_ = true;
      return fail(unavailable(fmt::format("{}: the device closed the session", where_)));
    }
    if (n > 0) buffer_.append(chunk, static_cast<std::size_t>(n));
    if (buffer_.size() > 256u << 20) {
      broken_ = true;
      return fail(unavailable(fmt::format("{}: a reply of more than 256 MB", where_)));
    }
  }
}

Result<std::string> NetconfSession::call(const std::string& body, const char* what) {
  if (broken_) return fail(unavailable(fmt::format("{}: the session is closed", where_)));
  const std::string id = std::to_string(next_id_++);
  LP_RETURN_IF_ERROR(
      send(fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rpc "
                       "message-id=\"{}\" xmlns=\"{}\">{}</rpc>",
                       id, kBaseNs, body)));
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    auto message = receive(deadline);
    if (!message) {
      return fail(unavailable(fmt::format("<{}>: {}", what, message.error().message())));
    }
    pugi::xml_document doc;
    if (!doc.load_buffer(message->data(), message->size())) {
      broken_ = true;
      return fail(unavailable(fmt::format("{}: the reply to <{}> is not XML", where_, what)));
    }
    const pugi::xml_node reply = doc.first_child();
    if (localName(reply.name()) != "rpc-reply") continue;                         // a notification
    if (std::string_view(reply.attribute("message-id").value()) != id) continue;  // a late one
    const std::string errors = replyErrors(*message);
    if (!errors.empty()) {
      return fail(failedPrecondition(fmt::format("{} refused <{}>: {}", where_, what, errors)));
    }
    return std::move(*message);
  }
}

namespace {
const char* datastore(Datastore d) {
  return d == Datastore::Candidate ? "<candidate/>" : "<running/>";
}
}  // namespace

Status NetconfSession::edit(Datastore target, const std::string& config, bool test_only) {
  return statusOf(call(
      fmt::format("<edit-config><target>{}</target>{}<error-option>rollback-on-error</error-option>"
                  "<config xmlns:nc=\"{}\">{}</config></edit-config>",
                  datastore(target), test_only ? "<test-option>test-only</test-option>" : "",
                  kBaseNs, config),
      test_only ? "edit-config test-only" : "edit-config"));
}

Status NetconfSession::commit() { return statusOf(call("<commit/>", "commit")); }

Status NetconfSession::discardChanges() {
  return statusOf(call("<discard-changes/>", "discard-changes"));
}

Result<std::string> NetconfSession::getConfig(Datastore source, const std::string& filter) {
  return call(fmt::format("<get-config><source>{}</source><filter type=\"subtree\">{}</filter>"
                          "</get-config>",
                          datastore(source), filter),
              "get-config");
}

}  // namespace lightpath
