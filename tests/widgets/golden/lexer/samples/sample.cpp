#include <string>
#include <vector>

/* A multi-line comment:
   it spans three lines and
   ends here. */
namespace demo {

// Counts the words in a line.
int countWords(const std::string &line)
{
    int count = 0;
    bool inWord = false;
    for (char c : line) {
        if (c == ' ') {
            inWord = false;
        } else if (!inWord) {
            inWord = true;
            ++count;
        }
    }
    return count;
}

const char *greeting = "héllo ✓ 𝄞"; static int calls = 0;
constexpr double ratio = 0.75;
constexpr unsigned mask = 0xFF;

/// The entry point.
int main()
{
    std::vector<int> values{1, 2, 3};
    return countWords("a b c") + int(values.size());
}

} // namespace demo
