"""The whole state read column by column: the policies' bulk view of Postfix's tables."""
