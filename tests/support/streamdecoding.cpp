#include "streamdecoding.h"

#include "net/sseparser.h"

namespace reins::test {

using namespace provider;

std::vector<StreamEvent> decode(const std::function<std::unique_ptr<StreamDecoder>()> &make, const QByteArray &body,
                                qsizetype piece, bool *complete)
{
    net::SseParser parser;
    std::unique_ptr<StreamDecoder> decoder = make();
    std::vector<StreamEvent> out;
    const qsizetype step = piece > 0 ? piece : std::max<qsizetype>(1, body.size());
    for (qsizetype i = 0; i < body.size(); i += step) {
        std::vector<net::SseEvent> sse;
        parser.feed(QByteArrayView(body).sliced(i, std::min(step, body.size() - i)), sse);
        for (const net::SseEvent &e : sse)
            decoder->feed(e, out);
    }
    parser.finish();
    decoder->finish(out);
    if (complete)
        *complete = decoder->complete();
    return out;
}

QString describe(const std::vector<StreamEvent> &events)
{
    QStringList parts;
    for (const StreamEvent &event : events) {
        if (auto *e = std::get_if<TextDelta>(&event))
            parts.append(QStringLiteral("text(%1)").arg(e->text));
        else if (auto *e = std::get_if<ReasoningDelta>(&event))
            parts.append(QStringLiteral("reasoning(%1)").arg(e->text));
        else if (auto *e = std::get_if<ReasoningSignature>(&event))
            parts.append(QStringLiteral("signature(%1)").arg(e->signature));
        else if (auto *e = std::get_if<ToolCallDone>(&event))
            parts.append(QStringLiteral("call(%1,%2,%3)").arg(e->call.id, e->call.name, e->call.arguments));
        else if (auto *e = std::get_if<UsageReport>(&event))
            parts.append(QStringLiteral("usage(in %1 hit %2 miss %3 write %4 out %5 reasoning %6)")
                             .arg(e->usage.inputTokens)
                             .arg(e->usage.cacheHitTokens)
                             .arg(e->usage.cacheMissTokens)
                             .arg(e->usage.cacheWriteTokens)
                             .arg(e->usage.outputTokens)
                             .arg(e->usage.reasoningTokens));
        else if (auto *e = std::get_if<Finished>(&event))
            parts.append(QStringLiteral("finished(%1)").arg(e->reason));
        else if (auto *e = std::get_if<StreamError>(&event))
            parts.append(QStringLiteral("error(%1,%2,%3)")
                             .arg(e->error.code, e->error.retryable ? QStringLiteral("retryable") : QStringLiteral("final"),
                                  e->error.message));
    }
    return parts.join(u' ');
}

} // namespace reins::test
