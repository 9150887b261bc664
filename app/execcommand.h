#pragma once

/// `reins exec`: one headless turn of the agent, printed as text or JSON events. Returns the process exit status.
int runExec(int argc, char **argv);
