import { NotFoundException, type PipeTransform } from '@nestjs/common';

/** Longest workflow id Strategos stores. */
const MAX_WORKFLOW_ID_LENGTH = 200;

/**
 * A workflow id from the URL: one that no workflow can have (empty, too long, with NUL or other control
 * characters) is a 404 at once, never a query the database refuses with a 500.
 */
export class WorkflowIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_WORKFLOW_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(value))
      throw new NotFoundException('No order workflow with this id');
    return value;
  }
}
