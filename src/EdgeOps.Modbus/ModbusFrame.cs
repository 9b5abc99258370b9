using System.Buffers.Binary;

namespace EdgeOps.Modbus;

/// <summary>
/// MBAP framing (Modbus Messaging on TCP/IP V1.0b, §3.1.3) and the strict checks on a response PDU. Pure functions over
/// spans, so the fuzz tests can drive them without a socket.
/// </summary>
internal static class ModbusFrame
{
    /// <summary>Transaction id, protocol id, length, unit id.</summary>
    public const int HeaderLength = 7;

    /// <summary>Function code plus at most 252 data bytes.</summary>
    public const int MaxPduLength = 253;

    /// <summary>The largest ADU: header plus PDU.</summary>
    public const int MaxAduLength = HeaderLength - 1 + 1 + MaxPduLength;

    /// <summary>Writes the MBAP header for a PDU of <paramref name="pduLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> frame, ushort transactionId, byte unit, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(frame[4..], (ushort)(pduLength + 1));
        frame[6] = unit;
    }

    /// <summary>
    /// Checks a received MBAP header. Returns null when it is usable, otherwise the reason; <paramref name="pduLength"/>
    /// is the PDU bytes that follow (never more than <see cref="MaxPduLength"/>, so a hostile length cannot make us allocate).
    /// </summary>
    public static string? CheckHeader(ReadOnlySpan<byte> header, out ushort transactionId, out byte unit, out int pduLength)
    {
        transactionId = BinaryPrimitives.ReadUInt16BigEndian(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        unit = header[6];
        pduLength = length - 1;
        if (protocol != 0)
        {
            return $"protocol id {protocol} in the MBAP header is not 0 (Modbus)";
        }

        if (length < 3)
        {
            return $"MBAP length {length} is too short for a unit id, a function code and data (at least 3)";
        }

        if (length > MaxPduLength + 1)
        {
            return $"MBAP length {length} exceeds the largest Modbus frame ({MaxPduLength + 1})";
        }

        return null;
    }

    /// <summary>
    /// Checks a response PDU against its request before a byte of data is read: function code (or its exception
    /// form), byte count and total length, echoed address and value. Returns null when the response is good;
    /// <paramref name="exception"/> is set (and the result null) when the server answered an exception.
    /// </summary>
    public static string? CheckResponse(ReadOnlySpan<byte> pdu, in ModbusRequest request, out ModbusExceptionCode? exception)
    {
        exception = null;
        if (pdu.Length < 2)
        {
            return $"response of {pdu.Length} byte(s) is too short for a function code and data";
        }

        var function = pdu[0];
        if (function == (request.Function | 0x80))
        {
            if (pdu.Length != 2)
            {
                return $"exception response is {pdu.Length} bytes long, expected 2";
            }

            exception = (ModbusExceptionCode)pdu[1];
            return null;
        }

        if (function != request.Function)
        {
            return $"function code {function} in the response does not match the request's {request.Function} ({ModbusFunctions.Describe(request.Function)})";
        }

        switch (function)
        {
            case ModbusFunctions.ReadCoils or ModbusFunctions.ReadDiscreteInputs:
            case ModbusFunctions.ReadHoldingRegisters or ModbusFunctions.ReadInputRegisters:
            {
                var expected = request.Function is ModbusFunctions.ReadCoils or ModbusFunctions.ReadDiscreteInputs
                    ? (request.Count + 7) / 8
                    : request.Count * 2;
                if (pdu[1] != expected)
                {
                    return $"byte count {pdu[1]} does not match the {expected} bytes {request.Count} value(s) need";
                }

                if (pdu.Length != 2 + expected)
                {
                    return $"response carries {pdu.Length - 2} data bytes but its byte count says {expected}";
                }

                return null;
            }

            case ModbusFunctions.WriteSingleCoil or ModbusFunctions.WriteSingleRegister
                or ModbusFunctions.WriteMultipleCoils or ModbusFunctions.WriteMultipleRegisters:
            {
                if (pdu.Length != 5)
                {
                    return $"write response is {pdu.Length} bytes long, expected 5";
                }

                var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
                var second = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
                if (address != request.Address)
                {
                    return $"write response echoes address {address}, the request wrote {request.Address}";
                }

                var expected = request.Function is ModbusFunctions.WriteSingleCoil or ModbusFunctions.WriteSingleRegister
                    ? request.Value
                    : (ushort)request.Count;
                if (second != expected)
                {
                    return request.Function is ModbusFunctions.WriteSingleCoil or ModbusFunctions.WriteSingleRegister
                        ? $"write response echoes value {second}, the request wrote {expected}"
                        : $"write response echoes quantity {second}, the request wrote {expected}";
                }

                return null;
            }

            default:
                return $"function code {function} is not one this client sends";
        }
    }

    /// <summary>Copies the registers of a checked read response into <paramref name="destination"/>.</summary>
    public static void ReadRegisters(ReadOnlySpan<byte> pdu, Span<ushort> destination)
    {
        var data = pdu[2..];
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
        }
    }

    /// <summary>Unpacks the bits of a checked read response (LSB of the first byte is the first address).</summary>
    public static void ReadBits(ReadOnlySpan<byte> pdu, Span<bool> destination)
    {
        var data = pdu[2..];
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        }
    }
}

/// <summary>What a response is checked against: the request's function, unit, address, quantity and written value.</summary>
internal readonly record struct ModbusRequest(byte Function, byte Unit, ushort Address, int Count, ushort Value = 0);
