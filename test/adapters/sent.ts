/** Every command a mocked client received, in order, as `{ command, input }`, for whole-list assertions. */
import type { AwsStub } from 'aws-sdk-client-mock';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stub's type parameters do not matter to a reader of its calls
export function sent(stub: AwsStub<any, any, any>): { command: string; input: unknown }[] {
  return stub.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return { command: command.constructor.name, input: command.input };
  });
}
