/** Whether a query (a select, or a write with `returning`) finds a row: the repositories' yes/no questions. */
export async function found(query: { executeTakeFirst(): Promise<unknown> }): Promise<boolean> {
	return (await query.executeTakeFirst()) !== undefined;
}
