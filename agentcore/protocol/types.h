#pragma once

// Value types shared by operations and events. No logic lives here beyond naming enum values for JSON.

#include <QString>

#include <array>
#include <optional>
#include <utility>

namespace reins::protocol {

/// How much the agent may do without asking. The model can never change it; only the person can.
enum class ApprovalMode { ReadOnly, Ask, AutoEdit, FullAuto };

/// What the person decided about a proposed action.
enum class ApprovalDecision {
    ApproveOnce,    ///< run this call only
    ApproveSession, ///< run it, and the same command or prefix for the rest of the session
    ApproveAlways,  ///< run it, and save a rule for this workspace
    ApproveEdited,  ///< run the person's edited command or content instead of the proposal
    Deny,           ///< do not run it; the message goes to the model
    Abort,          ///< do not run it and end the turn
};

/// What a restore brings back.
enum class RestoreScope { Files, Conversation, Both };

enum class PlanStatus { Pending, InProgress, Done };

/// Which stream of a running command a chunk of output came from.
enum class OutputStream { Stdout, Stderr };

/// How a tool call ended.
enum class ToolOutcome { Ok, Failed, Denied, Interrupted };

/// Why a turn ended.
enum class TurnEndReason { Done, Interrupted, StepBudget, Aborted, Error };

// Each enum's JSON names, found by argument-dependent lookup from the JSON codec.
constexpr auto enumNames(ApprovalMode)
{
    return std::array{std::pair{ApprovalMode::ReadOnly, "read-only"}, std::pair{ApprovalMode::Ask, "ask"},
                      std::pair{ApprovalMode::AutoEdit, "auto-edit"}, std::pair{ApprovalMode::FullAuto, "full-auto"}};
}
constexpr auto enumNames(ApprovalDecision)
{
    using D = ApprovalDecision;
    return std::array{std::pair{D::ApproveOnce, "approve_once"}, std::pair{D::ApproveSession, "approve_session"},
                      std::pair{D::ApproveAlways, "approve_always"}, std::pair{D::ApproveEdited, "approve_edited"},
                      std::pair{D::Deny, "deny"}, std::pair{D::Abort, "abort"}};
}
constexpr auto enumNames(RestoreScope)
{
    return std::array{std::pair{RestoreScope::Files, "files"}, std::pair{RestoreScope::Conversation, "conversation"},
                      std::pair{RestoreScope::Both, "both"}};
}
constexpr auto enumNames(PlanStatus)
{
    return std::array{std::pair{PlanStatus::Pending, "pending"}, std::pair{PlanStatus::InProgress, "in_progress"},
                      std::pair{PlanStatus::Done, "done"}};
}
constexpr auto enumNames(OutputStream)
{
    return std::array{std::pair{OutputStream::Stdout, "stdout"}, std::pair{OutputStream::Stderr, "stderr"}};
}
constexpr auto enumNames(ToolOutcome)
{
    return std::array{std::pair{ToolOutcome::Ok, "ok"}, std::pair{ToolOutcome::Failed, "failed"},
                      std::pair{ToolOutcome::Denied, "denied"}, std::pair{ToolOutcome::Interrupted, "interrupted"}};
}
constexpr auto enumNames(TurnEndReason)
{
    using R = TurnEndReason;
    return std::array{std::pair{R::Done, "done"}, std::pair{R::Interrupted, "interrupted"},
                      std::pair{R::StepBudget, "step_budget"}, std::pair{R::Aborted, "aborted"},
                      std::pair{R::Error, "error"}};
}

/// The text name of an enum value, as in JSON.
template<typename E>
QString enumName(E value)
{
    for (const auto &[v, name] : enumNames(value))
        if (v == value)
            return QString::fromLatin1(name);
    return {};
}

/// The enum value named `name`, if any.
template<typename E>
std::optional<E> enumFromName(const QString &name)
{
    for (const auto &[v, n] : enumNames(E{}))
        if (name == QLatin1String(n))
            return v;
    return std::nullopt;
}

/// One line of the agent's plan (the `update_plan` tool).
struct PlanItem
{
    QString text;
    PlanStatus status = PlanStatus::Pending;

    static void fields(auto &s, auto &&f)
    {
        f("text", s.text);
        f("status", s.status);
    }
    bool operator==(const PlanItem &) const = default;
};

/// One file of a change a tool proposes, both versions whole, so the diff view can show it and the person can take
/// it in part. Only text travels: a file that is not UTF-8, or over the size the view handles, carries no content.
struct ProposedFile
{
    QString path;                  ///< workspace-relative: the file as it is now
    QString newPath;               ///< where it ends up; equal to path unless the change moves it
    std::optional<QString> before; ///< absent: the file does not exist yet (or carries no content, see below)
    std::optional<QString> after;  ///< absent: the change deletes it (or carries no content)
    bool binary = false;           ///< not UTF-8 text: no content, all or nothing
    bool tooLarge = false;         ///< over the view's limit: no content, all or nothing

    static void fields(auto &s, auto &&f)
    {
        f("path", s.path);
        f("newPath", s.newPath);
        f("before", s.before);
        f("after", s.after);
        f("binary", s.binary);
        f("tooLarge", s.tooLarge);
    }
    bool operator==(const ProposedFile &) const = default;
};

/// The person's verdict on one proposed file, sent with ApproveEdited.
struct ReviewedFile
{
    QString path;                   ///< ProposedFile::path
    bool accepted = true;           ///< false: nothing of this file's change is written
    std::optional<QString> content; ///< taken in part or edited: the version to write instead of the proposal's

    static void fields(auto &s, auto &&f)
    {
        f("path", s.path);
        f("accepted", s.accepted);
        f("content", s.content);
    }
    bool operator==(const ReviewedFile &) const = default;
};

/// Token counts of one model request. Input is split into prompt-cache hits and misses where the provider says.
struct TokenUsage
{
    qint64 inputTokens = 0;     ///< all input tokens, hits and misses together
    qint64 cacheHitTokens = 0;  ///< input served from the provider's prompt cache
    qint64 cacheMissTokens = 0; ///< input not served from the cache
    qint64 outputTokens = 0;    ///< all output tokens, reasoning included
    qint64 reasoningTokens = 0; ///< the part of the output spent on reasoning
    qint64 cacheWriteTokens = 0; ///< the part of the misses written to the cache (Anthropic bills it higher)

    static void fields(auto &s, auto &&f)
    {
        f("inputTokens", s.inputTokens);
        f("cacheHitTokens", s.cacheHitTokens);
        f("cacheMissTokens", s.cacheMissTokens);
        f("outputTokens", s.outputTokens);
        f("reasoningTokens", s.reasoningTokens);
        f("cacheWriteTokens", s.cacheWriteTokens);
    }
    bool operator==(const TokenUsage &) const = default;
    TokenUsage &operator+=(const TokenUsage &o)
    {
        inputTokens += o.inputTokens;
        cacheHitTokens += o.cacheHitTokens;
        cacheMissTokens += o.cacheMissTokens;
        outputTokens += o.outputTokens;
        reasoningTokens += o.reasoningTokens;
        cacheWriteTokens += o.cacheWriteTokens;
        return *this;
    }
};

} // namespace reins::protocol
