#pragma once

/// `reins checkpoint {list|create|diff A [B]|restore ID [--dry-run]} --workspace DIR [--json]`. Returns the exit
/// status.
int runCheckpoint(int argc, char **argv);
