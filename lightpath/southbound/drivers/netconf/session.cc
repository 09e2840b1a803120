// A NETCONF session: SSH by libssh (host key and client key checked here), NETCONF by
// libnetconf2.
#include "lightpath/southbound/drivers/netconf/session.h"

#include <fmt/format.h>
#include <libnetconf2/log.h>
#include <libnetconf2/messages_client.h>
#include <libnetconf2/session_client.h>
#include <libssh/libssh.h>
#include <libyang/libyang.h>

#include <cstdlib>
#include <mutex>
#include <pugixml.hpp>

namespace lightpath {
namespace {

// libnetconf2 reports why a call failed through its log; keep the last line of this thread's
// for the error message instead of letting it print to stderr.
thread_local std::string last_library_error;

void initLibraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    nc_client_init();
    nc_verbosity(NC_VERB_ERROR);
    nc_set_print_clb_session([](const nc_session*, NC_VERB_LEVEL, const char* message) {
      last_library_error = message ? message : "";
    });
    ly_log_options(0);
  });
}

std::string libraryError() {
  std::string out = last_library_error.empty() ? "no detail" : last_library_error;
  last_library_error.clear();
  return out;
}

// Frees what libssh and libyang hand out.
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
struct LydDeleter {
  void operator()(lyd_node* n) const {
    if (n) lyd_free_all(n);
  }
};
using LydPtr = std::unique_ptr<lyd_node, LydDeleter>;

std::string printXml(const lyd_node* node) {
  if (!node) return {};
  char* text = nullptr;
  if (lyd_print_mem(&text, node, LYD_XML, LYD_PRINT_WITHSIBLINGS) != LY_SUCCESS || !text) return {};
  std::string out(text);
  std::free(text);
  return out;
}

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
  initLibraries();
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
  ly_ctx* raw_schemas = nullptr;
  if (ly_ctx_new(access.schema_dir.c_str(), 0, &raw_schemas) != LY_SUCCESS) {
    return fail(internalError(fmt::format("{}: cannot create a schema context", where)));
  }
  std::unique_ptr<ly_ctx, void (*)(ly_ctx*)> schemas(raw_schemas,
                                                     [](ly_ctx* c) { ly_ctx_destroy(c); });
  const char* all_features[] = {"*", nullptr};
  if (!ly_ctx_load_module(schemas.get(), "ietf-netconf", nullptr, all_features)) {
    return fail(failedPrecondition(fmt::format(
        "{}: the NETCONF base module (ietf-netconf) is not in {}", where, access.schema_dir)));
  }
  if (!access.schema.empty() &&
      lys_parse_mem(schemas.get(), access.schema.c_str(), LYS_IN_YANG, nullptr) != LY_SUCCESS) {
    return fail(internalError(fmt::format("{}: the device's YANG module does not parse", where)));
  }
  // libnetconf2 takes the authenticated SSH session over (and frees it with its own).
  nc_session* session = nc_connect_libssh(ssh.release(), schemas.get());
  if (!session) {
    return fail(unavailable(fmt::format("{}: no NETCONF session: {}", where, libraryError())));
  }
  return std::unique_ptr<NetconfSession>(
      new NetconfSession(schemas.release(), session, where, access.timeout));
}

NetconfSession::NetconfSession(ly_ctx* schemas, nc_session* session, std::string where,
                               std::chrono::milliseconds timeout)
    : schemas_(schemas), session_(session), where_(std::move(where)), timeout_(timeout) {}

NetconfSession::~NetconfSession() {
  nc_session_free(session_, nullptr);
  ly_ctx_destroy(schemas_);
}

bool NetconfSession::supports(std::string_view capability) const {
  std::string full(capability);
  if (capability.starts_with(':')) {
    full = fmt::format("urn:ietf:params:netconf:capability:{}", capability.substr(1));
  }
  return nc_session_cpblt(session_, full.c_str()) != nullptr;
}

Result<std::string> NetconfSession::call(nc_rpc* rpc, const char* what) {
  if (!rpc) return fail(internalError(fmt::format("{}: cannot build <{}>", where_, what)));
  const std::unique_ptr<nc_rpc, void (*)(nc_rpc*)> owned(rpc, nc_rpc_free);
  if (broken_) return fail(unavailable(fmt::format("{}: the session is closed", where_)));
  const int timeout = static_cast<int>(timeout_.count());
  std::uint64_t id = 0;
  if (nc_send_rpc(session_, rpc, timeout, &id) != NC_MSG_RPC) {
    broken_ = true;
    return fail(unavailable(fmt::format("{}: cannot send <{}>: {}", where_, what, libraryError())));
  }
  for (;;) {
    lyd_node* envelope_raw = nullptr;
    lyd_node* op_raw = nullptr;
    const NC_MSG_TYPE type = nc_recv_reply(session_, rpc, id, timeout, &envelope_raw, &op_raw);
    const LydPtr envelope(envelope_raw), op(op_raw);
    if (type == NC_MSG_NOTIF) continue;
    if (type == NC_MSG_WOULDBLOCK) {
      broken_ = true;
      return fail(unavailable(
          fmt::format("{}: <{}> timed out after {} ms", where_, what, timeout_.count())));
    }
    if (type != NC_MSG_REPLY) {
      broken_ = true;
      return fail(
          unavailable(fmt::format("{}: no reply to <{}>: {}", where_, what, libraryError())));
    }
    const std::string errors = replyErrors(printXml(envelope.get()));
    if (!errors.empty()) {
      return fail(failedPrecondition(fmt::format("{} refused <{}>: {}", where_, what, errors)));
    }
    return printXml(op.get());
  }
}

Status NetconfSession::edit(Datastore target, const std::string& config, bool test_only) {
  nc_rpc* rpc = nc_rpc_edit(
      target == Datastore::Candidate ? NC_DATASTORE_CANDIDATE : NC_DATASTORE_RUNNING,
      NC_RPC_EDIT_DFLTOP_MERGE, test_only ? NC_RPC_EDIT_TESTOPT_TEST : NC_RPC_EDIT_TESTOPT_TESTSET,
      NC_RPC_EDIT_ERROPT_ROLLBACK, config.c_str(), NC_PARAMTYPE_CONST);
  return statusOf(call(rpc, test_only ? "edit-config test-only" : "edit-config"));
}

Status NetconfSession::commit() {
  return statusOf(call(nc_rpc_commit(0, 0, nullptr, nullptr, NC_PARAMTYPE_CONST), "commit"));
}

Status NetconfSession::discardChanges() {
  return statusOf(call(nc_rpc_discard(), "discard-changes"));
}

Result<std::string> NetconfSession::getConfig(Datastore source, const std::string& filter) {
  return call(nc_rpc_getconfig(
                  source == Datastore::Candidate ? NC_DATASTORE_CANDIDATE : NC_DATASTORE_RUNNING,
                  filter.c_str(), NC_WD_UNKNOWN, NC_PARAMTYPE_CONST),
              "get-config");
}

}  // namespace lightpath
