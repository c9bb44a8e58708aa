// Transcript people as WeCom members: a WeCom userid holds only letters, digits and _-.@, so a
// person named 张阿姨 in a transcript becomes a member such as `user001` (in order of first
// mention). Shared by the 智能机器人 and the app drivers: one member, one userid, on both.
export class WecomPeople {
  private readonly ids = new Map<string, string>();
  private readonly names = new Map<string, string>();

  /** The userid of a transcript person, made on first use. */
  userId(name: string): string {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = `user${String(this.ids.size + 1).padStart(3, '0')}`;
      this.ids.set(name, id);
      this.names.set(id, name);
    }
    return id;
  }

  /** The transcript name of a userid, as WeCom would show the member. */
  name(userid: string): string | undefined {
    return this.names.get(userid);
  }

  /** Text as a WeCom client shows it: `<@userid>` mentions become `@<name>`. */
  render(text: string): string {
    return text.replace(/<@([^>\s]+)>/g, (_, id: string) => `@${this.name(id) ?? id}`);
  }
}
