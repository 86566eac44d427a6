import { MissingRequiredClientCapabilityError, UnsupportedProtocolVersionError } from '@modelcontextprotocol/server';

/** How the SDK words the 4xx refusals it answers on its own (transport and protocol checks). */
const REFUSAL_MESSAGE = /^(Rejected |Not Acceptable|Unsupported Media Type|Payload Too Large|Invalid Request|Method not allowed|Bad Request|Session not found|Conflict|Invalid event ID)/;

/**
 * Whether an error the SDK reports is a client's malformed request (which it has already answered
 * with a 4xx) rather than a failure on our side. The SDK reports both through one callback, with
 * nothing but the error to tell them apart. A client's own input is not an operator's concern
 * (docs/operations.md: a 400 is not logged), and one warning per bad request let any key holder
 * fill the log. Anything not recognised here stays a failure, so an SDK that rewords a message
 * costs log noise, never a hidden failure.
 */
export function isRefusedInput(error: Error): boolean {
  return (
    error instanceof SyntaxError || // the body is not JSON
    error.name.includes('ZodError') || // not a JSON-RPC message
    error instanceof UnsupportedProtocolVersionError ||
    error instanceof MissingRequiredClientCapabilityError ||
    REFUSAL_MESSAGE.test(error.message)
  );
}
