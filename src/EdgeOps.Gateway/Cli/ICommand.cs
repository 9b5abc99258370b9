namespace EdgeOps.Gateway.Cli;

/// <summary>
/// One verb of the <c>edgeops</c> command line (<c>edgeops validate</c>, <c>edgeops mqtt tail</c>...).
/// Each verb is its own class in this folder and one line in <see cref="CommandRegistry"/>.
/// </summary>
internal interface ICommand
{
    /// <summary>The words that select the verb, e.g. ["mqtt", "tail"].</summary>
    IReadOnlyList<string> Path { get; }

    /// <summary>One line for <c>edgeops help</c>, starting with the usage.</summary>
    string Usage { get; }

    /// <summary>Runs the verb with the arguments after its path. Returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken);
}
