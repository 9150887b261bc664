#pragma once

// The tests' fake model server is the product's scripted model server (agentcore/demo), under its test name.

#include "demo/scriptedmodelserver.h"

namespace reins::test {

using FakeModelServer = demo::ScriptedModelServer;
using demo::RecordedRequest;

} // namespace reins::test
