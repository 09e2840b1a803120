// One NETCONF session over SSH to one device (RFC 6241 over RFC 6242), on libssh. The host key
// is checked against the configured known_hosts file (an unknown or changed key is refused with
// the reason) and the client key is the configured one; then the "netconf" subsystem, <hello>,
// and RPCs framed by end-of-message (base:1.0) or chunks (base:1.1, when both sides have it).
// The framing is Lightpath's own (RFC 6242 end-of-message and chunks) rather than libnetconf2's:
// libnetconf2 2.0.24, with sessions set up concurrently, was seen waiting 300 s inside its set-up
// (reading the device's YANG library), past any deadline of ours; here every read has the call's
// deadline.
//
// Not thread-safe: the device that owns a session serialises its calls. A call that misses its
// deadline or loses the transport leaves the session broken (a late reply must never be taken
// for the next call's), and the owner opens a new one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/status.h"

struct ssh_session_struct;
struct ssh_channel_struct;

namespace lightpath {

// How to reach one device. The key file is read when connecting and never kept in memory
// longer; nothing here is ever logged or shown beyond host, port and user.
struct NetconfAccess {
  std::string host;
  std::uint16_t port = 830;
  std::string username;
  std::string key_file;                     // the client's private key (OpenSSH format)
  std::string known_hosts;                  // the device's host key must be listed here
  std::chrono::milliseconds timeout{5000};  // connect, and each call
};

enum class Datastore { Running, Candidate };

class NetconfSession {
 public:
  // Unavailable when the device cannot be reached or the session fails; PermissionDenied for an
  // unknown or changed host key or a refused client key (retrying will not help).
  static Result<std::unique_ptr<NetconfSession>> open(const NetconfAccess& access);
  ~NetconfSession();
  NetconfSession(const NetconfSession&) = delete;
  NetconfSession& operator=(const NetconfSession&) = delete;

  // Whether the device advertised the capability
  // ("urn:ietf:params:netconf:capability:candidate:1.0" or its short form ":candidate").
  bool supports(std::string_view capability) const;
  bool broken() const { return broken_; }

  // <edit-config> of `config` (the content of <config>) with rollback-on-error; `test_only`
  // asks the device to validate without applying (:validate). A refusal is FailedPrecondition
  // with the device's own error message and path.
  Status edit(Datastore target, const std::string& config, bool test_only);
  Status commit();
  Status discardChanges();
  // The <rpc-reply> of a <get-config> with this subtree filter, as XML text.
  Result<std::string> getConfig(Datastore source, const std::string& filter);

 private:
  NetconfSession(ssh_session_struct* ssh, ssh_channel_struct* channel, std::string where,
                 std::chrono::milliseconds timeout);
  Status send(const std::string& message);
  // The next message, read within the deadline.
  Result<std::string> receive(std::chrono::steady_clock::time_point deadline);
  // Sends the RPC body and returns its reply; an <rpc-error> is FailedPrecondition.
  Result<std::string> call(const std::string& body, const char* what);

  ssh_session_struct* ssh_;
  ssh_channel_struct* channel_;
  std::string where_;  // "user@host:port", for messages
  std::chrono::milliseconds timeout_;
  std::vector<std::string> capabilities_;
  bool chunked_ = false;  // base:1.1 framing
  bool broken_ = false;
  std::uint64_t next_id_ = 1;
  std::string buffer_;  // read but not yet a whole message
};

}  // namespace lightpath
