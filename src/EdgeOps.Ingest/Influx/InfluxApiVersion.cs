namespace EdgeOps.Ingest;

/// <summary>Which write API the server speaks.</summary>
public enum InfluxApiVersion
{
    /// <summary><c>/write</c> with database, retention policy, user and password (InfluxDB 1.x).</summary>
    V1,

    /// <summary><c>/api/v2/write</c> with org, bucket and token (InfluxDB 2.x, Cloud, 3.x; 1.8 with user:password as token).</summary>
    V2,
}
