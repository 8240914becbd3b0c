using Mediator;
using SafeCities.Modules.Shared.Devices;

namespace SafeCities.Modules.Plates.Contracts;

/// <param name="HeadingDegrees">Direction of travel the reader faces, degrees clockwise from north.</param>
/// <param name="Lanes">Lanes covered; default 1.</param>
public sealed record PlateReaderSettings(double? HeadingDegrees = null, int? Lanes = null);

public sealed record RegisterPlateReaderCommand(DeviceRegistration Device, PlateReaderSettings Settings) : ICommand<DeviceDto>;

public sealed record ListPlateReadersQuery : IQuery<IReadOnlyList<DeviceDto>>;
