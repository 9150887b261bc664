#include "json.h"

#include "jsonobjectreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>
#include <concepts>
#include <type_traits>
#include <utility>

namespace reins::protocol {

namespace {

template<typename T>
struct IsOptional : std::false_type {};
template<typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template<typename T>
struct IsVector : std::false_type {};
template<typename T>
struct IsVector<std::vector<T>> : std::true_type {};

template<typename T>
concept HasFields = requires(T &t) { T::fields(t, [](const char *, auto &) {}); };

// ---- encoding ------------------------------------------------------------------------------------------

template<typename T>
QJsonValue encode(const T &value);

template<typename T>
QJsonObject encodeFields(const T &value)
{
    QJsonObject obj;
    T::fields(value, [&obj](const char *key, const auto &member) {
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (IsOptional<M>::value) {
            if (member)
                obj.insert(QLatin1String(key), encode(*member));
        } else {
            obj.insert(QLatin1String(key), encode(member));
        }
    });
    return obj;
}

template<typename T>
QJsonValue encode(const T &value)
{
    if constexpr (std::same_as<T, QString>)
        return value;
    else if constexpr (std::same_as<T, bool>)
        return value;
    else if constexpr (std::integral<T>)
        return QJsonValue(qint64(value));
    else if constexpr (std::floating_point<T>)
        return QJsonValue(double(value));
    else if constexpr (std::same_as<T, QJsonObject>)
        return value;
    else if constexpr (std::same_as<T, QStringList>)
        return QJsonArray::fromStringList(value);
    else if constexpr (std::is_enum_v<T>)
        return enumName(value);
    else if constexpr (IsVector<T>::value) {
        QJsonArray array;
        for (const auto &item : value)
            array.append(encode(item));
        return array;
    } else {
        static_assert(HasFields<T>, "no JSON encoding for this type");
        return encodeFields(value);
    }
}

// ---- decoding ------------------------------------------------------------------------------------------

// Where a value sits in the document ("usage.inputTokens", "files[2].path"), spelled out only for an error: a
// long journal is decoded field by field, and building every path up front cost an allocation per field.
struct FieldPath
{
    const FieldPath *parent = nullptr;
    const char *key = nullptr; ///< or, when null, an array element
    qsizetype index = 0;

    QString toString() const
    {
        QString text = parent ? parent->toString() : QString();
        if (key)
            return text.isEmpty() ? QString::fromLatin1(key) : text + u'.' + QLatin1String(key);
        return text + u'[' + QString::number(index) + u']';
    }
};

// Returns an empty string on success, else what is wrong with the value at `path`.
template<typename T>
QString decode(const QJsonValue &json, T &out, const FieldPath &path);

template<typename T>
QString decodeFields(const QJsonObject &obj, T &out, const FieldPath *path)
{
    QString error;
    T::fields(out, [&](const char *key, auto &member) {
        if (!error.isEmpty())
            return;
        const auto it = obj.constFind(QLatin1String(key));
        if (it == obj.constEnd() || it->isNull())
            return; // absent: keep the default
        const FieldPath childPath{path, key};
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (IsOptional<M>::value) {
            typename M::value_type inner{};
            error = decode(*it, inner, childPath);
            if (error.isEmpty())
                member = std::move(inner);
        } else {
            error = decode(*it, member, childPath);
        }
    });
    return error;
}

template<typename T>
QString decode(const QJsonValue &json, T &out, const FieldPath &path)
{
    const auto wrongType = [&](const char *expected) {
        return QStringLiteral("field '%1' must be %2").arg(path.toString(), QLatin1String(expected));
    };
    if constexpr (std::same_as<T, QString>) {
        if (!json.isString())
            return wrongType("a string");
        out = json.toString();
    } else if constexpr (std::same_as<T, bool>) {
        if (!json.isBool())
            return wrongType("true or false");
        out = json.toBool();
    } else if constexpr (std::integral<T>) {
        const double d = json.toDouble();
        if (!json.isDouble() || d != std::floor(d) || d < double(std::numeric_limits<T>::min())
            || d > double(std::numeric_limits<T>::max()))
            return wrongType("a whole number");
        out = T(json.toInteger());
    } else if constexpr (std::floating_point<T>) {
        if (!json.isDouble())
            return wrongType("a number");
        out = T(json.toDouble());
    } else if constexpr (std::same_as<T, QJsonObject>) {
        if (!json.isObject())
            return wrongType("an object");
        out = json.toObject();
    } else if constexpr (std::same_as<T, QStringList>) {
        if (!json.isArray())
            return wrongType("an array of strings");
        out.clear();
        for (const QJsonValue &item : json.toArray()) {
            if (!item.isString())
                return wrongType("an array of strings");
            out.append(item.toString());
        }
    } else if constexpr (std::is_enum_v<T>) {
        const auto value = json.isString() ? enumFromName<T>(json.toString()) : std::nullopt;
        if (!value) {
            QStringList names;
            for (const auto &[v, name] : enumNames(T{}))
                names.append(QLatin1String(name));
            return QStringLiteral("field '%1' must be one of %2").arg(path.toString(), names.join(QLatin1String(", ")));
        }
        out = *value;
    } else if constexpr (IsVector<T>::value) {
        if (!json.isArray())
            return wrongType("an array");
        out.clear();
        const QJsonArray array = json.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            typename T::value_type item{};
            if (QString error = decode(array.at(i), item, FieldPath{&path, nullptr, i}); !error.isEmpty())
                return error;
            out.push_back(std::move(item));
        }
    } else {
        static_assert(HasFields<T>, "no JSON decoding for this type");
        if (!json.isObject())
            return wrongType("an object");
        return decodeFields(json.toObject(), out, &path);
    }
    return {};
}

// ---- variants ------------------------------------------------------------------------------------------

template<typename Variant>
QJsonObject encodeVariant(const Variant &v)
{
    return std::visit(
        [](const auto &alt) {
            QJsonObject obj = encodeFields(alt);
            obj.insert(QLatin1String("type"), QLatin1String(std::remove_cvref_t<decltype(alt)>::kType));
            return obj;
        },
        v);
}

template<typename Variant, std::size_t... I>
Result<Variant> decodeVariant(const QString &type, const QJsonObject &obj, std::index_sequence<I...>)
{
    std::optional<Result<Variant>> result;
    const auto tryAlt = [&]<typename Alt>(std::type_identity<Alt>) {
        if (type != QLatin1String(Alt::kType))
            return false;
        Alt alt{};
        if (QString error = decodeFields(obj, alt, static_cast<const FieldPath *>(nullptr)); !error.isEmpty())
            result = fail(QStringLiteral("'%1': %2").arg(type, error));
        else
            result = Variant(std::move(alt));
        return true;
    };
    (tryAlt(std::type_identity<std::variant_alternative_t<I, Variant>>{}) || ...);
    if (!result)
        return fail(QStringLiteral("unknown type '%1'").arg(type));
    return *result;
}

template<typename Variant>
Result<Variant> decodeVariant(const QJsonObject &obj)
{
    const QJsonValue type = obj.value(QLatin1String("type"));
    if (!type.isString())
        return fail(QStringLiteral("missing 'type' string"));
    return decodeVariant<Variant>(type.toString(), obj, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

template<typename Variant>
QString variantTypeName(const Variant &v)
{
    return std::visit([](const auto &alt) { return QString::fromLatin1(std::remove_cvref_t<decltype(alt)>::kType); },
                      v);
}

} // namespace

QJsonObject toJson(const AgentOp &op)
{
    return encodeVariant(op);
}

QJsonObject toJson(const AgentEvent &event)
{
    QJsonObject obj = encodeVariant(event.payload);
    obj.insert(QLatin1String("seq"), event.seq);
    obj.insert(QLatin1String("time"), event.timeMs);
    return obj;
}

Result<AgentOp> agentOpFromJson(const QJsonObject &json)
{
    auto op = decodeVariant<AgentOp>(json);
    if (!op)
        return fail(QStringLiteral("invalid operation: ") + op.error().message);
    return op;
}

Result<AgentEvent> agentEventFromJson(const QJsonObject &json)
{
    auto payload = decodeVariant<EventPayload>(json);
    if (!payload)
        return fail(QStringLiteral("invalid event: ") + payload.error().message);
    AgentEvent event{.payload = std::move(*payload)};
    for (auto [key, target] : {std::pair{"seq", &event.seq}, std::pair{"time", &event.timeMs}}) {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined())
            continue;
        if (QString error = decode(value, *target, FieldPath{nullptr, key}); !error.isEmpty())
            return fail(QStringLiteral("invalid event: ") + error);
    }
    return event;
}

QByteArray toJsonLine(const AgentEvent &event)
{
    QByteArray line = QJsonDocument(toJson(event)).toJson(QJsonDocument::Compact);
    line.append('\n');
    return line;
}

namespace {

// Takes `literal` at *pos.
bool takeLiteral(QByteArrayView line, qsizetype *pos, QByteArrayView literal)
{
    if (!line.sliced(*pos).startsWith(literal))
        return false;
    *pos += literal.size();
    return true;
}

// A JSON integer as toJsonLine writes a sequence number or a time: digits, no sign, no leading zero, in qint64.
std::optional<qint64> takeCount(QByteArrayView line, qsizetype *pos)
{
    qsizetype end = *pos;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9')
        ++end;
    const qsizetype digits = end - *pos;
    if (digits == 0 || digits > 18 || (digits > 1 && line[*pos] == '0'))
        return std::nullopt;
    qint64 value = 0;
    for (qsizetype i = *pos; i < end; ++i)
        value = value * 10 + (line[i] - '0');
    *pos = end;
    return value;
}

} // namespace

std::optional<AgentEvent> assistantDeltaFromJsonLine(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    qsizetype pos = 0;
    if (!takeLiteral(line, &pos, R"({"seq":)"))
        return std::nullopt;
    const std::optional<qint64> seq = takeCount(line, &pos);
    if (!seq || !takeLiteral(line, &pos, R"(,"text":)"))
        return std::nullopt;
    std::optional<QString> text = readJsonString(line, &pos);
    if (!text || !takeLiteral(line, &pos, R"(,"time":)"))
        return std::nullopt;
    const std::optional<qint64> time = takeCount(line, &pos);
    if (!time || !takeLiteral(line, &pos, R"(,"type":"assistant_delta"})") || pos != line.size())
        return std::nullopt;
    return AgentEvent{*seq, *time, AssistantDelta{std::move(*text)}};
}

Result<AgentEvent> agentEventFromJsonLine(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (std::optional<AgentEvent> delta = assistantDeltaFromJsonLine(line)) // over half of a journal's lines
        return std::move(*delta);
    if (std::optional<QJsonObject> object = readJsonObject(line))
        return agentEventFromJson(*object);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid event: not JSON (%1 at offset %2)")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("invalid event: not a JSON object"));
    return agentEventFromJson(doc.object());
}

QString typeName(const EventPayload &payload)
{
    return variantTypeName(payload);
}

QString typeName(const AgentOp &op)
{
    return variantTypeName(op);
}

} // namespace reins::protocol
