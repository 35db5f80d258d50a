#include "cli/cli.h"
int cmd_check(struct cli_opts *o) { (void)o; return 0; }
int cmd_brief(struct cli_opts *o) { (void)o; return 0; }
