using System.Text;
using Underpool.Api.Transport;

namespace Underpool.Api.Tests;

public sealed class HttpAnswerParserTests
{
    [Fact]
    public void A_content_length_body_is_cut_at_its_length()
    {
        HttpAnswer answer = Parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}trailing");

        Assert.Equal(200, answer.Status);
        Assert.Equal("{}", Encoding.UTF8.GetString(answer.Body));
    }

    [Fact]
    public void A_chunked_body_is_joined_and_chunk_extensions_are_ignored()
    {
        HttpAnswer answer = Parse("HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\nB\r\n\":\"bcdefg\"}\r\n0\r\n\r\n");

        Assert.Equal(409, answer.Status);
        Assert.Equal("{\"a\":\"bcdefg\"}", Encoding.UTF8.GetString(answer.Body));
        Assert.False(answer.IsSuccess);
    }

    [Fact]
    public void Without_length_or_chunking_the_body_runs_to_the_end()
    {
        HttpAnswer answer = Parse("HTTP/1.0 204 No Content\r\nconnection: close\r\n\r\nrest");

        Assert.Equal(204, answer.Status);
        Assert.Equal("rest", Encoding.UTF8.GetString(answer.Body));
        Assert.True(answer.IsSuccess);
    }

    [Fact]
    public void Header_names_match_without_regard_to_case()
    {
        HttpAnswer answer = Parse("HTTP/1.1 200 OK\r\ncontent-LENGTH: 1\r\n\r\nxy");

        Assert.Equal("x", Encoding.UTF8.GetString(answer.Body));
    }

    [Theory]
    [InlineData("", "ended before its headers")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", "ended before its headers")]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n", "does not start with an HTTP status line")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", "does not start with an HTTP status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", "Content-Length 'lots' is not a number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", "body ended after 2 of 10 bytes")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size 'zz'")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "ended before its last chunk")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFF\r\nab", "ended before its last chunk")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n", "not followed by CRLF")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2x\r\nab\r\n0\r\n\r\n", "malformed chunk size '2x'")]
    public void A_malformed_answer_is_refused_with_the_reason(string response, string reason)
    {
        bool parsed = HttpAnswerParser.TryParse(Encoding.ASCII.GetBytes(response), out _, out string error);

        Assert.False(parsed);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static HttpAnswer Parse(string response)
    {
        Assert.True(HttpAnswerParser.TryParse(Encoding.ASCII.GetBytes(response), out HttpAnswer answer, out string error), error);
        return answer;
    }
}
