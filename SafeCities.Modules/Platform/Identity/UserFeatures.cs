using SafeCities.Modules.Platform.Contracts;

namespace SafeCities.Modules.Platform.Identity;

// The Users page's way in: each message is one call of UserAdministration (which /api/v1/users uses too).

internal sealed class ListUsersQueryHandler(UserAdministration admin) : IQueryHandler<ListUsersQuery, IReadOnlyList<UserDto>>
{
    public async ValueTask<IReadOnlyList<UserDto>> Handle(ListUsersQuery query, CancellationToken cancellationToken) =>
        await admin.ListAsync(query.Email, cancellationToken);
}

internal sealed class CreateUserCommandHandler(UserAdministration admin) : ICommandHandler<CreateUserCommand, string>
{
    public async ValueTask<string> Handle(CreateUserCommand c, CancellationToken cancellationToken) =>
        await admin.CreateAsync(c.Admin, c.Email, c.Role, c.District, c.AgencyId, cancellationToken);
}

internal sealed class SetUserRolesCommandHandler(UserAdministration admin) : ICommandHandler<SetUserRolesCommand>
{
    public async ValueTask<Unit> Handle(SetUserRolesCommand c, CancellationToken cancellationToken)
    {
        await admin.SetRolesAsync(c.Admin, c.Email, c.Roles, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class ResetUserPasswordCommandHandler(UserAdministration admin) : ICommandHandler<ResetUserPasswordCommand, string>
{
    public async ValueTask<string> Handle(ResetUserPasswordCommand c, CancellationToken cancellationToken) =>
        await admin.ResetPasswordAsync(c.Admin, c.Email, cancellationToken);
}

internal sealed class ResetUserMfaCommandHandler(UserAdministration admin) : ICommandHandler<ResetUserMfaCommand>
{
    public async ValueTask<Unit> Handle(ResetUserMfaCommand c, CancellationToken cancellationToken)
    {
        await admin.ResetMfaAsync(c.Admin, c.Email, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class LockUserCommandHandler(UserAdministration admin) : ICommandHandler<LockUserCommand>
{
    public async ValueTask<Unit> Handle(LockUserCommand c, CancellationToken cancellationToken)
    {
        await admin.LockAsync(c.Admin, c.Email, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class UnlockUserCommandHandler(UserAdministration admin) : ICommandHandler<UnlockUserCommand>
{
    public async ValueTask<Unit> Handle(UnlockUserCommand c, CancellationToken cancellationToken)
    {
        await admin.UnlockAsync(c.Admin, c.Email, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class SetUserDistrictCommandHandler(UserAdministration admin) : ICommandHandler<SetUserDistrictCommand>
{
    public async ValueTask<Unit> Handle(SetUserDistrictCommand c, CancellationToken cancellationToken)
    {
        await admin.SetDistrictAsync(c.Admin, c.Email, c.District, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class SetUserAgencyCommandHandler(UserAdministration admin) : ICommandHandler<SetUserAgencyCommand>
{
    public async ValueTask<Unit> Handle(SetUserAgencyCommand c, CancellationToken cancellationToken)
    {
        await admin.SetAgencyAsync(c.Admin, c.Email, c.AgencyId, cancellationToken);
        return Unit.Value;
    }
}

internal sealed class CreateAdministratorCommandHandler(IdentitySeeder seeder) : ICommandHandler<CreateAdministratorCommand, string>
{
    public async ValueTask<string> Handle(CreateAdministratorCommand c, CancellationToken cancellationToken) => await seeder.CreateAdministratorAsync(c.Email);
}
