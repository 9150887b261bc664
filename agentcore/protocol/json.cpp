#include "json.h"

#include "jsonobjectreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cmath>
#include <limits>
#include <span>
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

// A JSON integer as toJsonLine writes a sequence number or a time: 1 to `maxDigits` digits, no sign, no leading zero.
// *pos is moved past it; unchanged when there is none.
std::optional<qint64> takeCount(QByteArrayView line, qsizetype *pos, qsizetype maxDigits = 18)
{
    qsizetype end = *pos;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9')
        ++end;
    const qsizetype digits = end - *pos;
    if (digits == 0 || digits > maxDigits || (digits > 1 && line[*pos] == '0'))
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

namespace {

// One value of a flat line.
struct FlatValue
{
    enum class Kind { String, Number, Bool, Null } kind = Kind::Null;
    QString text;
    qint64 number = 0;
    bool flag = false;
};

struct FlatField
{
    QByteArrayView key;
    FlatValue value;
    bool used = false;
};

// A JSON number as a flat line may hold it: an optional minus, 1 to 15 digits, no leading zero, nothing after
// (15 digits stay exact as a double, so Qt reads the same value).
std::optional<qint64> takeWholeNumber(QByteArrayView line, qsizetype *pos)
{
    qsizetype at = *pos;
    const bool negative = at < line.size() && line[at] == '-';
    if (negative)
        ++at;
    const std::optional<qint64> value = takeCount(line, &at, 15);
    if (!value || (negative && *value == 0)) // "-0": which zero Qt makes of it is the general path's to say
        return std::nullopt;
    if (at < line.size() && (line[at] == '.' || line[at] == 'e' || line[at] == 'E'))
        return std::nullopt;
    *pos = at;
    return negative ? -*value : *value;
}

// The members a flat line can fill, from its value; false where the general path must decide.
template<typename M>
bool fillFlat(M &member, const FlatValue &value)
{
    using Kind = FlatValue::Kind;
    if constexpr (IsOptional<M>::value) {
        typename M::value_type inner{};
        if (!fillFlat(inner, value))
            return false;
        member = std::move(inner);
        return true;
    } else if constexpr (std::same_as<M, QString>) {
        if (value.kind != Kind::String)
            return false;
        member = value.text;
        return true;
    } else if constexpr (std::same_as<M, bool>) {
        if (value.kind != Kind::Bool)
            return false;
        member = value.flag;
        return true;
    } else if constexpr (std::integral<M>) {
        if (value.kind != Kind::Number || value.number < qint64(std::numeric_limits<M>::min())
            || (std::numeric_limits<M>::max() < std::numeric_limits<qint64>::max()
                && value.number > qint64(std::numeric_limits<M>::max())))
            return false;
        member = M(value.number);
        return true;
    } else if constexpr (std::is_enum_v<M>) {
        if (value.kind != Kind::String)
            return false;
        const std::optional<M> named = enumFromName<M>(value.text);
        if (!named)
            return false;
        member = *named;
        return true;
    } else {
        return false; // nested: an object, a list
    }
}

template<std::size_t... I>
std::optional<EventPayload> flatPayload(QByteArrayView type, std::span<FlatField> fields, std::index_sequence<I...>)
{
    std::optional<EventPayload> result;
    const auto tryAlt = [&]<typename Alt>(std::type_identity<Alt>) {
        if (type != QByteArrayView(Alt::kType))
            return false;
        Alt alt{};
        bool ok = true;
        Alt::fields(alt, [&](const char *key, auto &member) {
            for (FlatField &field : fields) {
                if (!ok || field.key != QByteArrayView(key))
                    continue;
                field.used = true;
                if (field.value.kind != FlatValue::Kind::Null) // null: absent, the default kept
                    ok = fillFlat(member, field.value);
            }
        });
        if (ok)
            result = EventPayload(std::move(alt));
        return true;
    };
    (tryAlt(std::type_identity<std::variant_alternative_t<I, EventPayload>>{}) || ...);
    return result;
}

} // namespace

std::optional<AgentEvent> flatEventFromJsonLine(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    constexpr std::size_t kMaxFields = 16;
    std::array<FlatField, kMaxFields> fields;
    std::size_t count = 0;
    qsizetype pos = 0;
    if (!takeLiteral(line, &pos, "{"))
        return std::nullopt;
    if (takeLiteral(line, &pos, "}"))
        return std::nullopt; // no type: the general path says so
    for (;;) {
        // A key: a plain identifier, as every field of ours is named.
        if (count == kMaxFields || !takeLiteral(line, &pos, "\""))
            return std::nullopt;
        const qsizetype keyStart = pos;
        while (pos < line.size() && ((line[pos] >= 'a' && line[pos] <= 'z') || (line[pos] >= 'A' && line[pos] <= 'Z')))
            ++pos;
        const QByteArrayView key = line.sliced(keyStart, pos - keyStart);
        if (key.isEmpty() || !takeLiteral(line, &pos, "\":"))
            return std::nullopt;
        for (std::size_t i = 0; i < count; ++i)
            if (fields[i].key == key)
                return std::nullopt; // twice: Qt's rule for that is the general path's
        FlatField &field = fields[count++];
        field.key = key;
        if (pos < line.size() && line[pos] == '"') {
            std::optional<QString> text = readJsonString(line, &pos);
            if (!text)
                return std::nullopt;
            field.value.kind = FlatValue::Kind::String;
            field.value.text = std::move(*text);
        } else if (takeLiteral(line, &pos, "true")) {
            field.value.kind = FlatValue::Kind::Bool;
            field.value.flag = true;
        } else if (takeLiteral(line, &pos, "false")) {
            field.value.kind = FlatValue::Kind::Bool;
        } else if (takeLiteral(line, &pos, "null")) {
            field.value.kind = FlatValue::Kind::Null;
        } else if (const std::optional<qint64> number = takeWholeNumber(line, &pos)) {
            field.value.kind = FlatValue::Kind::Number;
            field.value.number = *number;
        } else {
            return std::nullopt; // an object, a list, a fraction, or not JSON
        }
        if (takeLiteral(line, &pos, "}"))
            break;
        if (!takeLiteral(line, &pos, ","))
            return std::nullopt;
    }
    if (pos != line.size())
        return std::nullopt;
    const std::span<FlatField> used(fields.data(), count);
    const auto take = [&](QByteArrayView key) -> FlatField * {
        for (FlatField &field : used)
            if (field.key == key) {
                field.used = true;
                return &field;
            }
        return nullptr;
    };
    const FlatField *type = take("type");
    const FlatField *seq = take("seq");
    const FlatField *time = take("time");
    if (!type || type->value.kind != FlatValue::Kind::String || !seq || seq->value.kind != FlatValue::Kind::Number
        || !time || time->value.kind != FlatValue::Kind::Number)
        return std::nullopt;
    const QByteArray typeName = type->value.text.toLatin1();
    std::optional<EventPayload> payload =
        flatPayload(typeName, used, std::make_index_sequence<std::variant_size_v<EventPayload>>{});
    if (!payload)
        return std::nullopt;
    for (const FlatField &field : used)
        if (!field.used)
            return std::nullopt; // a key the event does not have: the general path's to judge
    return AgentEvent{seq->value.number, time->value.number, std::move(*payload)};
}

Result<AgentEvent> agentEventFromJsonLine(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (std::optional<AgentEvent> delta = assistantDeltaFromJsonLine(line)) // over half of a journal's lines
        return std::move(*delta);
    if (std::optional<AgentEvent> flat = flatEventFromJsonLine(line)) // most of the rest, and most of the bytes
        return std::move(*flat);
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
