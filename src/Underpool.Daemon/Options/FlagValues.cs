using System.Globalization;

namespace Underpool.Daemon.Options;

/// <summary>Flag values that are numbers in a range; the error names the flag, the value and the range.</summary>
internal static class FlagValues
{
    public static bool TrySeconds(string flag, string text, double min, double max, List<string> errors, out TimeSpan value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= min && seconds <= max)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        value = default;
        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{flag} '{text}' must be a number of seconds from {min} to {max}"));
        return false;
    }

    /// <param name="unit">What one counts ("of milliseconds "), or empty for a plain count.</param>
    public static bool TryWhole(string flag, string text, int min, int max, List<string> errors, out int value, string unit = "")
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{flag} '{text}' must be a whole number {unit}from {min} to {max}"));
        return false;
    }
}
