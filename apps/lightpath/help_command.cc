// Completion scripts and the man page, from the CLI11 command tree.
#include "help_command.h"

#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "exit_codes.h"

namespace lightpath::cli {
namespace {

struct Command {
  std::string path;  // "connections create"; "" for the program itself
  const CLI::App* app;
};

// Every command, depth first, the program first.
void walk(const CLI::App* app, const std::string& path, std::vector<Command>& out) {
  out.push_back({path, app});
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    walk(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
  }
}

std::vector<std::string> wordsOf(const CLI::App* app) {
  std::vector<std::string> words;
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; }))
    words.push_back(sub->get_name());
  for (const CLI::Option* o : app->get_options()) {
    for (const std::string& name : o->get_lnames()) words.push_back("--" + name);
  }
  return words;
}

std::string bashCompletion(const std::vector<Command>& commands) {
  std::string paths, cases;
  for (const Command& c : commands) {
    if (!c.path.empty()) paths += fmt::format("{}\"{}\"", paths.empty() ? "" : "|", c.path);
    std::string words;
    for (const std::string& w : wordsOf(c.app)) words += (words.empty() ? "" : " ") + w;
    cases += fmt::format("    \"{}\") words=\"{}\" ;;\n", c.path, words);
  }
  return fmt::format(
      "# lightpath completion (made by `lightpath completion bash`)\n"
      "_lightpath() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} path=\"\" next i words\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    next=\"$path${{path:+ }}${{COMP_WORDS[i]}}\"\n"
      "    case \"$next\" in\n"
      "    {}) path=$next ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$path\" in\n"
      "{}"
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}}\n"
      "complete -o default -F _lightpath lightpath\n",
      paths, cases);
}

// roff: a backslash is written \e, a leading dot or quote escaped, a hyphen \-.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string manPage(const std::vector<Command>& commands) {
  std::string page =
      ".TH LIGHTPATH 1 \"\" \"lightpath 0.1.0\" \"User Commands\"\n"
      ".SH NAME\nlightpath \\- " +
      roff(commands.front().app->get_description()) +
      "\n.SH SYNOPSIS\n.B lightpath\n\\fICOMMAND\\fR [\\fISUBCOMMAND\\fR] [\\fIOPTIONS\\fR]\n"
      ".SH DESCRIPTION\nOne executable: the service (\\fBserve\\fR), the client of its API, and "
      "the offline tools. Every command answers \\fB\\-\\-help\\fR.\n.SH COMMANDS\n";
  for (const Command& c : commands) {
    if (c.path.empty()) continue;
    page += fmt::format(".SS \"lightpath {}\"\n{}\n", roff(c.path), roff(c.app->get_description()));
    for (const CLI::Option* o : c.app->get_options()) {
      if (o->get_lnames().empty() && o->get_snames().empty() && !o->get_positional()) continue;
      std::string names;
      if (o->get_positional()) names = "\\fI" + roff(o->get_name()) + "\\fR";
      for (const std::string& s : o->get_snames())
        names += (names.empty() ? "" : ", ") + ("\\fB\\-" + s + "\\fR");
      for (const std::string& l : o->get_lnames())
        names += (names.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(l) + "\\fR");
      page += fmt::format(".TP\n{}\n{}\n", names, roff(o->get_description()));
    }
  }
  page +=
      ".SH ENVIRONMENT\n"
      ".TP\n\\fBLIGHTPATH_URL\\fR, \\fBLIGHTPATH_API_KEY\\fR, \\fBLIGHTPATH_PIN\\fR\nThe server, "
      "key and certificate fingerprint of the client commands (their flags win).\n"
      ".TP\n\\fBLIGHTPATH_PROFILE\\fR, \\fBLIGHTPATH_CONFIG\\fR\nThe profile to use, and the file "
      "that holds the profiles.\n"
      ".TP\n\\fBLIGHTPATH_MASTER_KEY\\fR\nThe master key that seals secrets at rest (serve, "
      "admin), base64 of 32 bytes.\n"
      ".SH FILES\n"
      ".TP\n\\fI~/.config/lightpath/config.yaml\\fR\nProfiles of the client commands: server, "
      "api_key_file, pin, output.\n"
      ".TP\n\\fI~/.config/lightpath/master.key\\fR\nThe master key, made on the first start of "
      "serve when none is given.\n"
      ".SH EXIT STATUS\n0 done; 1 refused or failed (the message says why); 2 usage; 3 server "
      "unreachable or unavailable; 4 key missing, wrong or without the role.\n";
  return page;
}

}  // namespace

void addHelpCommands(CLI::App& app, int* exit_code) {
  static std::string shell;
  CLI::App* completion =
      app.add_subcommand("completion", "print a shell completion script (bash or zsh)");
  completion->add_option("shell", shell, "bash or zsh")->required();
  completion->callback([&app, exit_code] {
    std::vector<Command> commands;
    walk(&app, "", commands);
    if (shell == "bash") {
      std::cout << bashCompletion(commands);
    } else if (shell == "zsh") {
      // zsh runs bash completion functions through its bashcompinit.
      std::cout << "autoload -U +X bashcompinit && bashcompinit\n" << bashCompletion(commands);
    } else {
      std::cerr << fmt::format("lightpath: completion: bash or zsh, not '{}'\n", shell);
      *exit_code = kExitUsage;
    }
  });
  CLI::App* man =
      app.add_subcommand("man", "print the man page (roff): lightpath man > lightpath.1");
  man->callback([&app] {
    std::vector<Command> commands;
    walk(&app, "", commands);
    std::cout << manPage(commands);
  });
}

}  // namespace lightpath::cli
